//go:build e2e

package whip_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/protocols/whip"
	"streamhive/protocols/whip/whiptest"
)

var (
	mediaOnce sync.Once
	clip      *whiptest.Media
)

// testMedia is 2 s of 320x240 H.264 and Opus, made once per test run.
func testMedia(t *testing.T) *whiptest.Media {
	mediaOnce.Do(func() { clip = whiptest.MakeMedia(t, "320x240", 2) })
	if clip == nil {
		t.Fatal("no test media")
	}
	return clip
}

// TestPublishH264Opus: a pion client publishes H.264 and Opus; the stream
// gets one publication with the picture size and parameter sets from the
// bitstream, a keyframe at DTS 0, frames timed from RTP timestamps (10 fps
// video, 20 ms audio, rising DTS per track), counters; End releases the
// publication and the client sees the connection close.
func TestPublishH264Opus(t *testing.T) {
	m := testMedia(t)
	hooks := &fakeHooks{name: "cam"}
	srv := newServer(t, hooks, nil)
	c, id := connect(t, srv, "cam", whiptest.H264Opus)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Send(ctx, m, 1); err != nil {
		t.Fatal(err)
	}
	if !mediatest.Eventually(3*time.Second, func() bool { return hooks.count(0) >= 15 && hooks.count(1) >= 60 }) {
		t.Fatalf("got %d video and %d audio frames, want most of 20 and 100", hooks.count(0), hooks.count(1))
	}
	pubs, frames, _ := hooks.snapshot()
	if len(pubs) != 1 {
		t.Fatalf("%d publications, want 1", len(pubs))
	}
	checkTracks(t, pubs[0])
	checkFrames(t, frames)
	// Frames may still be arriving: the ingest hands a frame to the sink
	// before it counts it, so the counter is compared once both settle.
	settled := mediatest.Eventually(3*time.Second, func() bool {
		_, frames, _ = hooks.snapshot()
		return hooks.stats.Frames.Load() == uint64(len(frames))
	})
	if hooks.stats.Bytes.Load() == 0 || !settled {
		t.Errorf("stats: %d bytes, %d frames; want bytes and %d frames", hooks.stats.Bytes.Load(), hooks.stats.Frames.Load(), len(frames))
	}

	if err := srv.End("other", id); !errors.Is(err, whip.ErrNoSession) {
		t.Errorf("End of another stream's session: %v, want ErrNoSession", err)
	}
	if err := srv.End("cam", id); err != nil {
		t.Fatalf("End: %v", err)
	}
	if _, _, released := hooks.snapshot(); released != 1 || srv.Sessions() != 0 {
		t.Errorf("after End: %d releases, %d sessions; want 1 and 0", released, srv.Sessions())
	}
	if err := srv.End("cam", id); !errors.Is(err, whip.ErrNoSession) {
		t.Errorf("second End: %v, want ErrNoSession", err)
	}
	select {
	case <-c.Gone():
	case <-time.After(15 * time.Second):
		t.Error("the client's connection did not end")
	}
}

func checkTracks(t *testing.T, tracks []media.Track) {
	t.Helper()
	if len(tracks) != 2 {
		t.Fatalf("tracks %+v, want video and audio", tracks)
	}
	v, a := tracks[0], tracks[1]
	if v.ID != 0 || v.Codec != media.CodecH264 || v.Width != 320 || v.Height != 240 || len(v.SPS) == 0 || len(v.PPS) == 0 {
		t.Errorf("video track %+v, want H.264 320x240 with SPS and PPS", v)
	}
	if a.ID != 1 || a.Codec != media.CodecOpus || a.SampleRate != 48000 || (a.Channels != 1 && a.Channels != 2) {
		t.Errorf("audio track %+v, want Opus 48 kHz (mono from the TOC, or stereo when no packet came before the keyframe)", a)
	}
}

func checkFrames(t *testing.T, frames []*media.Frame) {
	t.Helper()
	last := map[int]*media.Frame{}
	for _, f := range frames {
		if f.PTS != f.DTS || f.DTS < 0 || f.Size() == 0 {
			t.Fatalf("frame %+v: want PTS = DTS >= 0 (no B-frames) and a payload", f)
		}
		prev := last[f.Track]
		if prev == nil {
			if f.Track == 0 && (!f.Keyframe || f.DTS != 0) {
				t.Errorf("first video frame: keyframe %v at %v, want a keyframe at 0", f.Keyframe, f.DTS)
			}
		} else {
			step, want := f.DTS-prev.DTS, 20*time.Millisecond
			if f.Track == 0 {
				want = 100 * time.Millisecond
			}
			if step != want {
				t.Errorf("track %d: DTS %v after %v, want a step of %v", f.Track, f.DTS, prev.DTS, want)
			}
		}
		last[f.Track] = f
	}
	// Both tracks start together, give or take the network's jitter.
	if v, a := last[0], last[1]; v == nil || a == nil || (v.DTS-a.DTS).Abs() > 500*time.Millisecond {
		t.Errorf("last video and audio frames %v and %v apart", v, a)
	}
}

// TestCloseEndsSessions: Close ends a live session and releases its
// publication before it returns.
func TestCloseEndsSessions(t *testing.T) {
	m := testMedia(t)
	hooks := &fakeHooks{name: "cam"}
	srv := newServer(t, hooks, nil)
	c, _ := connect(t, srv, "cam", whiptest.H264Opus)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = c.Send(ctx, m, 10) }()
	if !mediatest.Eventually(5*time.Second, func() bool { return hooks.count(0) > 0 }) {
		t.Fatal("nothing published")
	}
	srv.Close()
	if _, _, released := hooks.snapshot(); released != 1 || srv.Sessions() != 0 {
		t.Errorf("after Close: %d releases, %d sessions; want 1 and 0", released, srv.Sessions())
	}
}

// TestAudioOnly: an offer without video publishes Opus alone at its first
// packet.
func TestAudioOnly(t *testing.T) {
	m := testMedia(t)
	hooks := &fakeHooks{name: "radio"}
	srv := newServer(t, hooks, nil)
	c, _ := connect(t, srv, "radio", whiptest.Codecs{Audio: webrtc.MimeTypeOpus})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = c.Send(ctx, m, 1) }()
	if !mediatest.Eventually(5*time.Second, func() bool { return hooks.count(0) >= 10 }) {
		t.Fatal("no audio frames")
	}
	pubs, _, _ := hooks.snapshot()
	if len(pubs) != 1 || len(pubs[0]) != 1 || pubs[0][0].Codec != media.CodecOpus {
		t.Errorf("publications %+v, want one of Opus alone", pubs)
	}
}
