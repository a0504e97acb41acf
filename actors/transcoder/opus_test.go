package transcoder

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit/kittest"
	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/mediatest"
	"streamhive/media/transcode"
	"streamhive/supervision"
)

// opusRig is a stream's hub fed the test clip (H.264 + AAC), its Opus
// actor and a consumer that reads the derived tracks as WebRTC does.
type opusRig struct {
	clip   *mediatest.Clip
	hub    *hub.Hub
	w      *hub.Writer
	demand *OpusDemand
	all    *hub.Consumer
}

const testGrace = 2 * time.Second

func newOpusRig(t *testing.T, sys *actor.ActorSystem, tracks func(*mediatest.Clip) []media.Track) *opusRig {
	t.Helper()
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	h := hub.New(hub.Options{QueueLen: 4096})
	t.Cleanup(h.Close)
	h.SetTracks(tracks(clip))
	r := &opusRig{clip: clip, hub: h, w: h.NewWriter(), demand: NewOpusDemand(h), all: h.SubscribeAll()}
	probe := kittest.NewProbe(t, sys)
	probe.SpawnChild(OpusProps(OpusConfig{
		Stream: "t", Hub: h, Demand: r.demand, Grace: testGrace,
		Supervisor: &supervision.RestartWithBackoff{Backoff: supervision.Backoff{Initial: 10 * time.Millisecond, Max: 20 * time.Millisecond}},
	}))
	synctest.Wait()
	return r
}

func clipTracks(c *mediatest.Clip) []media.Track { return c.Tracks }

// encoders is the number of encoders reading the hub (every consumer but
// the rig's own).
func (r *opusRig) encoders() int { return r.hub.Stats().Consumers - 1 }

// allVersion is the version of the list SubscribeAll's consumers see.
func (r *opusRig) allVersion() uint64 {
	c := r.hub.SubscribeAll()
	defer c.Close()
	return c.Tracks().Version
}

// feed writes d of the clip and waits for the encoder to take it all.
func (r *opusRig) feed(d time.Duration) {
	for _, f := range r.clip.Loop(d) {
		r.w.WriteFrame(f)
	}
	synctest.Wait()
}

// opus drains the rig's consumer and returns the Opus frames and track.
func (r *opusRig) opus(t *testing.T) ([]*media.Frame, *media.Track) {
	t.Helper()
	var frames []*media.Frame
	for {
		select {
		case d := <-r.all.C():
			for _, tr := range d.Tracks.List {
				if tr.ID == d.Frame.Track && tr.Codec == media.CodecOpus {
					frames = append(frames, d.Frame)
				}
			}
		default:
			list := r.hub.SubscribeAll()
			defer list.Close()
			for _, tr := range list.Tracks().List {
				if tr.Codec == media.CodecOpus {
					return frames, &tr
				}
			}
			return frames, nil
		}
	}
}

// TestOpusWhileWanted: two viewers share one encoder, whose Opus frames
// reach the hub's derived track and decode; it outlives the last release
// by the grace only, and takes its track with it.
func TestOpusWhileWanted(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		r := newOpusRig(t, sys, clipTracks)
		if r.encoders() != 0 {
			t.Fatalf("%d encoders before any viewer", r.encoders())
		}
		rel1, err1 := r.demand.Want()
		rel2, err2 := r.demand.Want()
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		synctest.Wait()
		if r.encoders() != 1 {
			t.Fatalf("%d encoders for two viewers, want one", r.encoders())
		}
		r.feed(2 * time.Second)
		frames, track := r.opus(t)
		if track == nil || track.ID < hub.DerivedTrackBase || track.Channels != 2 || len(frames) < 80 {
			t.Fatalf("Opus track %+v with %d frames from 2 s", track, len(frames))
		}
		if n := decoded(t, *track, frames); n < 80 {
			t.Errorf("%d AAC frames re-encoded from %d Opus packets: they do not decode", n, len(frames))
		}
		if l := r.hub.Tracks().List; len(l) != 2 {
			t.Errorf("the hub's own list changed: %+v", l)
		}

		rel1()
		rel1() // idempotent: still one viewer
		time.Sleep(2 * testGrace)
		synctest.Wait()
		if r.encoders() != 1 {
			t.Fatalf("%d encoders with one viewer left", r.encoders())
		}
		rel2()
		time.Sleep(testGrace / 2)
		synctest.Wait()
		if r.encoders() != 1 {
			t.Fatalf("the encoder stopped within the grace")
		}
		time.Sleep(testGrace)
		synctest.Wait()
		if _, track := r.opus(t); r.encoders() != 0 || track != nil {
			t.Errorf("after the grace: %d encoders, Opus track %+v", r.encoders(), track)
		}
	})
}

// TestOpusViewerBackWithinGrace: a viewer that comes back within the
// grace finds the same encoder and track (no new track list).
func TestOpusViewerBackWithinGrace(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		r := newOpusRig(t, sys, clipTracks)
		rel, _ := r.demand.Want()
		synctest.Wait()
		r.feed(time.Second)
		_, before := r.opus(t)
		version := r.allVersion()
		rel()
		time.Sleep(testGrace / 2)
		rel, _ = r.demand.Want()
		time.Sleep(2 * testGrace)
		synctest.Wait()
		r.feed(time.Second)
		frames, after := r.opus(t)
		if before == nil || after == nil || r.allVersion() != version || len(frames) == 0 || r.encoders() != 1 {
			t.Errorf("track %+v then %+v, version %d then %d, %d frames, %d encoders",
				before, after, version, r.allVersion(), len(frames), r.encoders())
		}
		rel()
	})
}

// TestOpusNotNeeded: no audio is an error, Opus audio needs no encoder,
// audio that cannot become Opus is refused, and a stream without tracks
// yet is counted.
func TestOpusNotNeeded(t *testing.T) {
	only := func(codec media.Codec) func(*mediatest.Clip) []media.Track {
		return func(c *mediatest.Clip) []media.Track {
			list := []media.Track{c.Tracks[0]}
			if codec != "" {
				list = append(list, media.Track{ID: 1, Codec: codec, SampleRate: 48000, Channels: 2})
			}
			return list
		}
	}
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		if _, err := newOpusRig(t, sys, only("")).demand.Want(); !errors.Is(err, ErrNoAudio) {
			t.Errorf("video only: %v, want ErrNoAudio", err)
		}
		if _, err := newOpusRig(t, sys, only(media.CodecPCMA)).demand.Want(); !errors.Is(err, ErrNoOpus) {
			t.Errorf("PCMA: %v, want ErrNoOpus", err)
		}
		r := newOpusRig(t, sys, only(media.CodecOpus))
		rel, err := r.demand.Want()
		synctest.Wait()
		if err != nil || r.encoders() != 0 {
			t.Errorf("Opus source: %v, %d encoders", err, r.encoders())
		}
		rel()
		r = newOpusRig(t, sys, func(*mediatest.Clip) []media.Track { return nil })
		rel, err = r.demand.Want()
		synctest.Wait()
		if err != nil || r.encoders() != 1 {
			t.Errorf("no tracks yet: %v, %d encoders", err, r.encoders())
		}
		rel()
	})
}

// decoded turns Opus frames back into AAC through libavcodec and counts
// what came out: a packet that does not decode makes nothing.
func decoded(t *testing.T, track media.Track, frames []*media.Frame) int {
	t.Helper()
	src := &frameList{tracks: []media.Track{track}, frames: frames}
	out := &countSink{}
	if err := transcode.RunAudio(context.Background(), transcode.AudioOut{Codec: media.CodecAAC}, src, out); !errors.Is(err, transcode.ErrEndOfStream) {
		t.Fatal(err)
	}
	return out.n
}

type frameList struct {
	tracks []media.Track
	frames []*media.Frame
}

func (s *frameList) Read(context.Context) (*media.Frame, []media.Track, error) {
	if len(s.frames) == 0 {
		return nil, nil, transcode.ErrEndOfStream
	}
	f := *s.frames[0]
	s.frames = s.frames[1:]
	return &f, s.tracks, nil
}

type countSink struct{ n int }

func (*countSink) SetTrack(*media.Track)     {}
func (c *countSink) WriteFrame(*media.Frame) { c.n++ }

// TestOpusEncoderFailureRestartsIt: an encoder that cannot decode the
// source fails and is restarted with backoff by the Opus actor; the hub's
// writer and its plain consumers never notice.
func TestOpusEncoderFailureRestartsIt(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		r := newOpusRig(t, sys, func(c *mediatest.Clip) []media.Track {
			bad := c.Tracks[1]
			bad.AudioConfig = []byte{0xff, 0xff, 0xff, 0xff} // no AudioSpecificConfig
			return []media.Track{c.Tracks[0], bad}
		})
		plain := r.hub.Subscribe()
		defer plain.Close()
		restarts := opusRestarts.Get()
		rel, err := r.demand.Want()
		if err != nil {
			t.Fatal(err)
		}
		defer rel()
		synctest.Wait()
		r.feed(time.Second)
		dropped := plain.Dropped() // the audio before its first keyframe
		time.Sleep(time.Second)
		synctest.Wait()
		r.feed(time.Second)
		if opusRestarts.Get() == restarts {
			t.Fatal("the encoder did not fail and restart")
		}
		if r.w.Revoked() || r.hub.Stats().Revoked != 0 {
			t.Error("the stream's writer was touched")
		}
		if n, _ := r.opus(t); len(n) != 0 {
			t.Errorf("%d Opus frames from audio that does not decode", len(n))
		}
		if plain.Dropped() != dropped {
			t.Errorf("a plain consumer dropped %d frames", plain.Dropped()-dropped)
		}
	})
}
