package hub

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"streamhive/media"
)

var avTracks = []media.Track{
	{ID: 0, Codec: media.CodecH264, Width: 320, Height: 180},
	{ID: 1, Codec: media.CodecAAC, SampleRate: 48000, Channels: 2},
}

// frame returns video frame n (a keyframe every gop frames) or, for
// track 1, an audio frame.
func frame(track, n, gop int) *media.Frame {
	return &media.Frame{
		Track:    track,
		DTS:      time.Duration(n) * 40 * time.Millisecond,
		PTS:      time.Duration(n) * 40 * time.Millisecond,
		Keyframe: track == 1 || n%gop == 0,
		Data:     [][]byte{{byte(n)}},
	}
}

func newAVHub(t testing.TB, queueLen int) (*Hub, *Writer) {
	t.Helper()
	h := New(Options{QueueLen: queueLen})
	t.Cleanup(h.Close)
	h.SetTracks(avTracks)
	return h, h.NewWriter()
}

func readN(t *testing.T, c *Consumer, n int) []*media.Frame {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var out []*media.Frame
	for range n {
		f, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("read %d: %v", len(out), err)
		}
		out = append(out, f)
	}
	return out
}

func TestNewConsumerStartsWithCachedGOP(t *testing.T) {
	h, w := newAVHub(t, 64)
	for n := range 7 { // GOPs start at 0 and 5
		w.WriteFrame(frame(0, n, 5))
		w.WriteFrame(frame(1, n, 5))
	}
	c := h.Subscribe()
	w.WriteFrame(frame(0, 7, 5))
	got := readN(t, c, 5)
	want := []struct{ track, n int }{{0, 5}, {1, 5}, {0, 6}, {1, 6}, {0, 7}}
	for i, f := range got {
		if f.Track != want[i].track || int(f.Data[0][0]) != want[i].n {
			t.Errorf("frame %d: got track %d n %d, want %+v", i, f.Track, f.Data[0][0], want[i])
		}
	}
	if c.Tracks().Version != 1 || len(c.Tracks().List) != 2 {
		t.Errorf("got tracks %+v, want version 1 with 2 tracks", c.Tracks())
	}
}

func TestNewConsumerWithoutGOPWaitsForVideoKeyframe(t *testing.T) {
	h := New(Options{})
	defer h.Close()
	h.SetTracks(avTracks)
	c := h.Subscribe()
	w := h.NewWriter()
	w.WriteFrame(frame(1, 0, 5)) // audio: a keyframe, but not a GOP start
	w.WriteFrame(frame(0, 1, 5)) // P-frame
	w.WriteFrame(frame(0, 5, 5)) // IDR
	f := readN(t, c, 1)[0]
	if f.Track != 0 || !f.Keyframe {
		t.Errorf("first frame: got %+v, want the video keyframe", f)
	}
	if c.Dropped() != 2 {
		t.Errorf("dropped: got %d, want 2", c.Dropped())
	}
}

func TestAudioOnlyStartsOnAnyFrame(t *testing.T) {
	h := New(Options{})
	defer h.Close()
	h.SetTracks([]media.Track{{ID: 0, Codec: media.CodecOpus, SampleRate: 48000, Channels: 2}})
	w := h.NewWriter()
	w.WriteFrame(&media.Frame{Track: 0, Keyframe: true, Data: [][]byte{{1}}})
	c := h.Subscribe()
	if f := readN(t, c, 1)[0]; f.Data[0][0] != 1 {
		t.Errorf("got %v, want the cached frame", f.Data)
	}
}

func TestSlowConsumerSkipsToNextKeyframe(t *testing.T) {
	h, w := newAVHub(t, 4)
	c := h.Subscribe()
	for n := range 10 { // keyframe at 0
		w.WriteFrame(frame(0, n, 10))
	}
	got := readN(t, c, 4) // the queue held 4; 4..9 were dropped
	w.WriteFrame(frame(0, 10, 10))
	w.WriteFrame(frame(0, 11, 10))
	got = append(got, readN(t, c, 2)...)
	wantN := []int{0, 1, 2, 3, 10, 11}
	for i, f := range got {
		if int(f.Data[0][0]) != wantN[i] {
			t.Errorf("frame %d: got n %d, want %d", i, f.Data[0][0], wantN[i])
		}
	}
	if c.Dropped() != 6 { // 4..9
		t.Errorf("dropped: got %d, want 6", c.Dropped())
	}
}

// A consumer that never reads must not delay or starve another one.
func TestStalledConsumerDoesNotDelayOthers(t *testing.T) {
	h, w := newAVHub(t, 16)
	stalled := h.Subscribe()
	live := h.Subscribe()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	const frames = 1000
	for n := range frames {
		w.WriteFrame(frame(0, n, 25))
		f, err := live.Read(ctx)
		if err != nil || int(f.DTS/(40*time.Millisecond)) != n {
			t.Fatalf("live consumer at %d: got %v, %v", n, f, err)
		}
	}
	if live.Dropped() != 0 {
		t.Errorf("live consumer dropped %d", live.Dropped())
	}
	if stalled.Dropped() == 0 {
		t.Error("stalled consumer dropped nothing")
	}
	if got := h.Stats().Frames; got != frames {
		t.Errorf("hub frames: got %d, want %d", got, frames)
	}
}

func TestRevokedWriterIsDropped(t *testing.T) {
	h, w1 := newAVHub(t, 16)
	c := h.Subscribe()
	w2 := h.NewWriter()
	if !w1.Revoked() || w2.Revoked() {
		t.Fatalf("revoked: w1 %v w2 %v, want true false", w1.Revoked(), w2.Revoked())
	}
	w1.WriteFrame(frame(0, 0, 1))
	w2.WriteFrame(frame(0, 1, 1))
	if f := readN(t, c, 1)[0]; f.Data[0][0] != 1 {
		t.Errorf("got frame %d, want the new writer's", f.Data[0][0])
	}
	if s := h.Stats(); s.Revoked != 1 || s.Frames != 1 {
		t.Errorf("stats: got %+v, want 1 revoked and 1 frame", s)
	}
	w2.Revoke()
	w2.WriteFrame(frame(0, 2, 1))
	if s := h.Stats(); s.Revoked != 2 {
		t.Errorf("revoked after Revoke: got %d, want 2", s.Revoked)
	}
}

func TestNewWriterResetsGOPAndWaitsForKeyframe(t *testing.T) {
	h, w1 := newAVHub(t, 16)
	w1.WriteFrame(frame(0, 0, 10))
	c := h.Subscribe()
	readN(t, c, 1)
	w2 := h.NewWriter()
	w2.WriteFrame(frame(0, 1, 10)) // a P-frame of the new source: no reference
	w2.WriteFrame(frame(0, 10, 10))
	if f := readN(t, c, 1)[0]; f.Data[0][0] != 10 {
		t.Errorf("got frame %d after the switch, want the keyframe 10", f.Data[0][0])
	}
}

func TestTracksTravelWithFrames(t *testing.T) {
	h, w := newAVHub(t, 16)
	c := h.Subscribe()
	w.WriteFrame(frame(0, 0, 1))
	h.SetTracks(avTracks[:1])
	w.WriteFrame(frame(0, 1, 1))
	readN(t, c, 1)
	if v := c.Tracks().Version; v != 1 {
		t.Errorf("first frame's tracks: version %d, want 1", v)
	}
	readN(t, c, 1)
	if tr := c.Tracks(); tr.Version != 2 || len(tr.List) != 1 {
		t.Errorf("second frame's tracks: got %+v, want version 2 with 1 track", tr)
	}
}

func TestCloseWakesReaders(t *testing.T) {
	for _, tc := range []struct {
		name  string
		close func(h *Hub, c *Consumer)
	}{
		{"hub", func(h *Hub, _ *Consumer) { h.Close() }},
		{"consumer", func(_ *Hub, c *Consumer) { c.Close() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, w := newAVHub(t, 16)
			c := h.Subscribe()
			w.WriteFrame(frame(0, 0, 1))
			errc := make(chan error, 1)
			go func() {
				ctx := context.Background()
				if _, err := c.Read(ctx); err != nil {
					errc <- err
					return
				}
				_, err := c.Read(ctx) // blocks until closed
				errc <- err
			}()
			tc.close(h, c)
			if err := <-errc; !errors.Is(err, ErrClosed) {
				t.Errorf("got %v, want ErrClosed", err)
			}
			select {
			case <-c.Done():
			default:
				t.Error("Done not closed")
			}
		})
	}
}

func TestReadHonoursContext(t *testing.T) {
	h, _ := newAVHub(t, 16)
	c := h.Subscribe()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Read(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// Writers, grants, track changes and subscribers race; every consumer must
// see a GOP start first and frames of one writer in order.
func TestChurn(t *testing.T) {
	h := New(Options{QueueLen: 32})
	h.SetTracks(avTracks)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var wg, subs sync.WaitGroup
	stop := make(chan struct{})
	for g := range 3 { // writers, each re-granted now and then
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				w := h.NewWriter()
				for n := range 50 {
					w.WriteFrame(frame(n%2, g*1000+n, 10))
				}
				if i%3 == 0 {
					h.SetTracks(avTracks)
				}
			}
		})
	}
	for range 4 { // subscribers
		subs.Go(func() {
			for i := 0; i < 30; i++ {
				c := h.Subscribe()
				f, err := c.Read(ctx)
				if err != nil {
					t.Errorf("read: %v", err)
					return
				}
				if !f.Keyframe || f.Track != 0 {
					t.Errorf("first frame %+v is not a video keyframe", f)
				}
				for range i % 7 {
					if _, err := c.Read(ctx); err != nil {
						t.Errorf("read: %v", err)
						return
					}
				}
				c.Close()
			}
		})
	}
	wg.Go(func() { // a consumer the hub's Close must wake
		c := h.Subscribe()
		for {
			if _, err := c.Read(ctx); err != nil {
				if !errors.Is(err, ErrClosed) {
					t.Errorf("got %v, want ErrClosed", err)
				}
				return
			}
		}
	})
	subs.Wait()
	close(stop)
	h.Close()
	wg.Wait()
}

// writeSeconds writes video frames at 25 fps (a keyframe every second)
// from second from to second to of the timeline.
func writeSeconds(w *Writer, from, to int) {
	for n := from * 25; n < to*25; n++ {
		w.WriteFrame(frame(0, n, 25))
	}
}

// The GOP cache serves consumers that join: a minute of the timeline after
// the last one did, it holds no frame (half a GOP was held for nobody by
// every stream no real-time player joins), and the next consumer to join
// waits for a keyframe, after which the cache serves again.
func TestGOPCacheHeldOnlyWhileConsumersJoin(t *testing.T) {
	h, w := newAVHub(t, 64)
	packager := h.Subscribe()
	defer packager.Close()
	writeSeconds(w, 0, 30)
	if len(h.gop.d) == 0 {
		t.Fatal("no GOP cached within a minute of a subscription")
	}
	writeSeconds(w, 30, 62)
	if n := len(h.gop.d); n != 0 {
		t.Fatalf("%d frames cached a minute after the last consumer joined, want 0", n)
	}
	late := h.Subscribe()
	defer late.Close()
	w.WriteFrame(frame(0, 62*25+1, 25)) // P-frame: dropped for the late consumer
	writeSeconds(w, 63, 64)
	if f := readN(t, late, 1)[0]; !f.Keyframe || f.DTS != 63*time.Second {
		t.Errorf("late consumer starts at %v (keyframe %v), want the keyframe at 63 s", f.DTS, f.Keyframe)
	}
	next := h.Subscribe()
	defer next.Close()
	if f := readN(t, next, 1)[0]; f.DTS != 63*time.Second {
		t.Errorf("next consumer starts at %v, want the cached GOP from 63 s", f.DTS)
	}
}
