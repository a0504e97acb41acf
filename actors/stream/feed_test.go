package stream

import (
	"context"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/media"
	"streamhive/media/hub"
)

// TestSwitchContinuesTheVideoTimeline: a muxed source sends audio ahead of
// video, and audio frames all count as keyframes. A backup that takes over
// must do so at its first video keyframe and continue the video timeline
// one frame after the primary's last picture, leaving no hole in it.
func TestSwitchContinuesTheVideoTimeline(t *testing.T) {
	sys := actor.NewActorSystem()
	h := hub.New(hub.Options{})
	c := h.Subscribe()
	defer c.Close()
	f := newFeed(h, sys.Root, actor.NewPID("nonhost", "nobody"))
	tracks := []media.Track{{ID: 0, Codec: media.CodecH264}, {ID: 1, Codec: media.CodecAAC, SampleRate: 48000}}
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	video := func(dts time.Duration, key bool) *media.Frame {
		return &media.Frame{Track: 0, DTS: dts, PTS: dts, Keyframe: key, Data: [][]byte{{1}}}
	}
	audio := func(dts time.Duration) *media.Frame {
		return &media.Frame{Track: 1, DTS: dts, PTS: dts, Keyframe: true, Data: [][]byte{{2}}}
	}

	primary := f.newSink(0, tracks)
	f.arm(primary, 1)
	for i := range 25 { // 1 s of video at 25 fps, audio 1 s ahead
		primary.WriteFrame(audio(ms(1000 + 40*i)))
		primary.WriteFrame(video(ms(40*i), i == 0))
	}
	f.close(primary) // the primary dies; its last picture is at 960 ms

	backup := f.newSink(1, tracks)
	f.arm(backup, 2)
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
