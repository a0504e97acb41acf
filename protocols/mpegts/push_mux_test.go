package mpegts

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/mediatest"
)

// listSource yields frames from a slice under one track list, then
// io.EOF.
type listSource struct {
	tracks *hub.Tracks
	frames []*media.Frame
}

func (s *listSource) Read(context.Context) (*media.Frame, error) {
	if len(s.frames) == 0 {
		return nil, io.EOF
	}
	f := s.frames[0]
	s.frames = s.frames[1:]
	return f, nil
}

func (s *listSource) Tracks() *hub.Tracks { return s.tracks }

type flushBuffer struct{ bytes.Buffer }

func (*flushBuffer) Flush() error { return nil }

// TestPushTSOfASubsetOfTracks pushes a track list that is a subset of a
// hub's (a push that carries some of the stream's tracks): track IDs are
// not indexes into the list. Every frame of both tracks comes out.
func TestPushTSOfASubsetOfTracks(t *testing.T) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	newID := map[int]int{0: 1, 1: 3} // the clip's video and audio, as tracks 1 and 3 of a larger list
	var list []media.Track
	for _, tr := range clip.Tracks {
		tr.ID = newID[tr.ID]
		list = append(list, tr)
	}
	src := &listSource{tracks: &hub.Tracks{Version: 1, List: list}}
	counts := map[int]int{}
	for _, f := range clip.Frames {
		g := *f
		g.Track = newID[f.Track]
		src.frames = append(src.frames, &g)
		counts[f.Track]++
	}
	var out flushBuffer
	if err := PushTS(context.Background(), src, &out); !errors.Is(err, io.EOF) {
		t.Fatalf("PushTS: %v, want io.EOF at the end of the source", err)
	}
	r := demuxAll(t, out.Bytes(), Config{})
	if len(r.tracks) != 2 || r.tracks[0].Codec != media.CodecH264 || r.tracks[1].Codec != media.CodecAAC {
		t.Fatalf("tracks %+v, want H.264 and AAC", r.tracks)
	}
	video, _ := r.count(0)
	audio, _ := r.count(1)
	// The demuxer starts at the first video keyframe (audio ahead of it
	// is left out) and may hold back a track's last frame.
	if video < counts[0]-1 || audio < counts[1]-4 {
		t.Errorf("demuxed %d video and %d audio frames, want %d and %d", video, audio, counts[0], counts[1])
	}
	r.checkMonotonic(t)
}
