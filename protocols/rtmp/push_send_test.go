package rtmp

import (
	"context"
	"errors"
	"net"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/mediatest"
)

func TestCarriedKeepsOneTrackOfEachKind(t *testing.T) {
	h264 := func(id int) media.Track {
		return media.Track{ID: id, Codec: media.CodecH264, SPS: []byte{0x67, 0x42, 0, 0x1e}, PPS: []byte{0x68}}
	}
	aac := func(id int) media.Track {
		return media.Track{ID: id, Codec: media.CodecAAC, AudioConfig: []byte{0x12, 0x10}}
	}
	for _, c := range []struct {
		name string
		list []media.Track
		want []int // IDs
	}{
		{"video and audio", []media.Track{h264(0), aac(1)}, []int{0, 1}},
		{"a ladder: the first rendition", []media.Track{h264(0), h264(1), aac(2)}, []int{0, 2}},
		{"two audio tracks", []media.Track{aac(0), h264(1), aac(2)}, []int{0, 1}},
		{"an unpushable video first", []media.Track{{ID: 0, Codec: media.CodecH265}, h264(1), aac(2)}, []int{1, 2}},
		{"audio only", []media.Track{aac(3)}, []int{3}},
		{"nothing pushable", []media.Track{{ID: 0, Codec: media.CodecOpus}}, nil},
	} {
		got := slices.Sorted(func(yield func(int) bool) {
			for id := range carried(c.list) {
				if !yield(id) {
					return
				}
			}
		})
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: carried %v, want %v", c.name, got, c.want)
		}
	}
}

// TestPushOfALadderCarriesOneRendition pushes a stream with two video
// tracks (a ladder) to our RTMP server: the publication gets one video
// track, each picture once, with increasing timestamps.
func TestPushOfALadderCarriesOneRendition(t *testing.T) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	video := clip.Tracks[0]
	second := video
	second.ID = len(clip.Tracks)
	var frames []*media.Frame
	var videoFrames int
	for _, f := range clip.Loop(2 * time.Second) {
		frames = append(frames, f)
		if f.Track == video.ID {
			videoFrames++
			g := *f
			g.Track = second.ID
			frames = append(frames, &g)
		}
	}
	tracks, got := pushAll(t, append(slices.Clone(clip.Tracks), second), frames)
	vids := videoOf(tracks, got)
	if len(tracks) != 2 || len(vids) != videoFrames {
		t.Fatalf("received %d tracks and %d video frames; want 2 tracks and %d frames", len(tracks), len(vids), videoFrames)
	}
	for i := 1; i < len(vids); i++ {
		if vids[i].DTS <= vids[i-1].DTS {
			t.Fatalf("video DTS %v after %v at frame %d: not increasing", vids[i].DTS, vids[i-1].DTS, i)
		}
	}
}

// TestPushLeavesOutAudioOlderThanTheFirstPicture: audio that arrives
// after the first keyframe but is older than it would sit at RTMP time 0
// with the keyframe; it is not sent.
func TestPushLeavesOutAudioOlderThanTheFirstPicture(t *testing.T) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	var key, audio *media.Frame
	for _, f := range clip.Frames {
		switch {
		case key == nil && f.Keyframe && f.Track == 0:
			key = f
		case audio == nil && f.Track == 1:
			audio = f
		}
	}
	at := func(f *media.Frame, dts time.Duration) *media.Frame {
		g := *f
		g.DTS, g.PTS = dts, dts
		return &g
	}
	ms := time.Millisecond
	_, got := pushAll(t, clip.Tracks, []*media.Frame{
		at(key, 100*ms), at(audio, 90*ms), at(audio, 110*ms), at(audio, 130*ms),
	})
	var dts []time.Duration
	for _, f := range got {
		dts = append(dts, f.DTS-got[0].DTS)
	}
	if want := []time.Duration{0, 10 * ms, 30 * ms}; !slices.Equal(dts, want) {
		t.Errorf("received at %v, want %v", dts, want)
	}
}

// pushAll pushes frames of a stream with tracks to our RTMP server, to
// the end, and returns what the publication received.
func pushAll(t *testing.T, tracks []media.Track, frames []*media.Frame) ([]media.Track, []*media.Frame) {
	t.Helper()
	h := hub.New(hub.Options{})
	h.SetTracks(tracks)
	w := h.NewWriter()
	src := h.Subscribe()
	t.Cleanup(src.Close)
	for _, f := range frames {
		w.WriteFrame(f)
	}
	h.Close() // the consumer still holds every frame: the push sends them all, then ends

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hooks := newTestHooks("key")
	srv := &Server{Hooks: hooks}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Close)

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var sent atomic.Uint64
	err = (&Pusher{}).Push(ctx, "rtmp://"+ln.Addr().String()+"/live/key", nil, src, &sent)
	if !errors.Is(err, hub.ErrClosed) {
		t.Fatalf("push: %v, want the end of the stream", err)
	}
	p := waitPublication(t, hooks)
	waitReleased(t, p)
	return p.rec.snapshot()
}

// videoOf returns the video frames of a publication.
func videoOf(tracks []media.Track, frames []*media.Frame) []*media.Frame {
	var out []*media.Frame
	for _, f := range frames {
		if f.Track >= 0 && f.Track < len(tracks) && tracks[f.Track].Codec.Kind() == media.KindVideo {
			out = append(out, f)
		}
	}
	return out
}
