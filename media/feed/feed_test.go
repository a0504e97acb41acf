package feed

import (
	"context"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/hub"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func video(dts time.Duration, key bool) *media.Frame {
	return &media.Frame{Track: 0, DTS: dts, PTS: dts, Keyframe: key, Data: [][]byte{{1}}}
}

func audio(dts time.Duration) *media.Frame {
	return &media.Frame{Track: 1, DTS: dts, PTS: dts, Keyframe: true, Data: [][]byte{{2}}}
}

var avTracks = []media.Track{{ID: 0, Codec: media.CodecH264}, {ID: 1, Codec: media.CodecAAC, SampleRate: 48000}}

// takeOvers records the reports of a Feed.
type takeOvers struct{ arms []uint64 }

func (r *takeOvers) note(_ *Sink, arm uint64) { r.arms = append(r.arms, arm) }

// newTestFeed returns a Feed over a fresh hub and a consumer of that hub.
func newTestFeed(t *testing.T) (*Feed, *hub.Consumer, *takeOvers) {
	t.Helper()
	h := hub.New(hub.Options{})
	c := h.Subscribe()
	t.Cleanup(func() { c.Close(); h.Close() })
	r := &takeOvers{}
	return New(h, r.note), c, r
}

// drain returns the DTSs of what c has queued, without blocking.
func drain(c *hub.Consumer) []time.Duration {
	var out []time.Duration
	for {
		select {
		case f := <-c.C():
			out = append(out, f.Frame.DTS)
		default:
			return out
		}
	}
}

// TestSwitchContinuesTheVideoTimeline: a muxed source sends audio ahead of
// video, and audio frames all count as keyframes. A backup that takes over
// must do so at its first video keyframe and continue the video timeline
// one frame after the primary's last picture, leaving no hole in it.
func TestSwitchContinuesTheVideoTimeline(t *testing.T) {
	f, c, _ := newTestFeed(t)

	primary := f.NewSink(0, avTracks)
	f.Arm(primary, 1)
	for i := range 25 { // 1 s of video at 25 fps, audio 1 s ahead
		primary.WriteFrame(audio(ms(1000 + 40*i)))
		primary.WriteFrame(video(ms(40*i), i == 0))
	}
	f.Close(primary) // the primary dies; its last picture is at 960 ms

	backup := f.NewSink(1, avTracks)
	f.Arm(backup, 2)
	backup.WriteFrame(audio(ms(7000))) // an audio "keyframe" first: no takeover yet
	backup.WriteFrame(video(ms(5000), true))
	backup.WriteFrame(video(ms(5040), false))

	var pics []time.Duration
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for len(pics) < 27 {
		fr, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("read after %d pictures: %v", len(pics), err)
		}
		if fr.Track == 0 {
			pics = append(pics, fr.DTS)
		}
	}
	if got, want := pics[25], ms(1000); got != want {
		t.Errorf("the backup's first picture is at %v, want %v (one frame after the primary's last at %v)", got, want, pics[24])
	}
	if got, want := pics[26], ms(1040); got != want {
		t.Errorf("the backup's second picture is at %v, want %v", got, want)
	}
}

// TestArmTakesOverAtAKeyframe: a sink reaches the hub only once armed and
// at a keyframe of its lead track, reports that once, and counts every
// frame it was written.
func TestArmTakesOverAtAKeyframe(t *testing.T) {
	f, c, r := newTestFeed(t)
	s := f.NewSink(3, avTracks)
	s.WriteFrame(video(0, true)) // not armed: dropped
	f.Arm(s, 7)
	s.WriteFrame(video(ms(40), false)) // armed, but no keyframe: dropped
	if got := drain(c); len(got) != 0 || f.IsLive(s) {
		t.Fatalf("before its keyframe the sink fed %v (live %v), want nothing", got, f.IsLive(s))
	}
	s.WriteFrame(video(ms(80), true))
	s.WriteFrame(video(ms(120), false))
	if got := drain(c); len(got) != 2 || !f.IsLive(s) {
		t.Errorf("after its keyframe: fed %v, live %v; want 2 frames, live", got, f.IsLive(s))
	}
	if len(r.arms) != 1 || r.arms[0] != 7 {
		t.Errorf("takeovers reported %v, want [7]", r.arms)
	}
	if s.Frames() != 4 || s.Index() != 3 || len(s.Tracks()) != 2 {
		t.Errorf("frames %d index %d tracks %d, want 4 3 2", s.Frames(), s.Index(), len(s.Tracks()))
	}
}

// TestCutAndClose: a cut sink stops feeding the hub but may be armed
// again; a closed one is dropped for good and its Revoked is closed.
func TestCutAndClose(t *testing.T) {
	f, c, r := newTestFeed(t)
	one := f.NewSink(0, avTracks[:1])
	f.Arm(one, 1)
	one.WriteFrame(video(0, true))
	f.Cut(one)
	one.WriteFrame(video(ms(40), true))
	if got := drain(c); len(got) != 1 || f.IsLive(one) {
		t.Fatalf("cut sink fed %v, want only the frame before the cut", got)
	}
	f.Arm(one, 2)
	one.WriteFrame(video(ms(80), true)) // rebased to 40ms: one frame after 0
	if got := drain(c); len(got) != 1 || !f.IsLive(one) {
		t.Fatalf("re-armed sink fed %v, want one frame", got)
	}

	two := f.NewSink(1, avTracks[:1])
	f.Arm(two, 3)
	two.WriteFrame(video(ms(10_000), true)) // takes the hub over from one
	one.WriteFrame(video(ms(120), false))   // one's writer is revoked
	if got := drain(c); len(got) != 1 || got[0] != ms(80) {
		t.Errorf("after the takeover the hub got %v, want the new sink's keyframe rebased to 80ms", got)
	}
	if f.IsLive(one) || !f.IsLive(two) {
		t.Errorf("live: one %v two %v, want the new sink only", f.IsLive(one), f.IsLive(two))
	}

	select {
	case <-two.Revoked():
		t.Fatalf("Revoked closed before Close")
	default:
	}
	f.Close(two)
	f.Close(two) // idempotent
	<-two.Revoked()
	f.Arm(two, 4) // a closed sink ignores arming
	two.WriteFrame(video(ms(10_040), true))
	if got := drain(c); len(got) != 0 || f.IsLive(two) {
		t.Errorf("closed sink fed %v", got)
	}
	if len(r.arms) != 3 {
		t.Errorf("takeovers reported %v, want 3", r.arms)
	}
}

// TestLaggingTrackIsDroppedAfterASwitch: a new input's frames of a
// non-lead track that would go back on that track's output timeline are
// dropped.
func TestLaggingTrackIsDroppedAfterASwitch(t *testing.T) {
	f, c, _ := newTestFeed(t)
	a := f.NewSink(0, avTracks)
	f.Arm(a, 1)
	a.WriteFrame(video(0, true))
	a.WriteFrame(audio(ms(500))) // audio ahead of video
	f.Close(a)
	b := f.NewSink(1, avTracks)
	f.Arm(b, 2)
	b.WriteFrame(video(ms(1000), true)) // rebased to 40ms: offset -960ms
	b.WriteFrame(audio(ms(1100)))       // 140ms on the output: behind 500ms, dropped
	b.WriteFrame(audio(ms(1600)))       // 640ms: kept
	if got, want := drain(c), []time.Duration{0, ms(500), ms(40), ms(640)}; len(got) != len(want) || got[2] != want[2] || got[3] != want[3] {
		t.Errorf("hub got %v, want %v", got, want)
	}
}
