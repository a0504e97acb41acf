package mpegts

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/media/segment"
	"streamhive/protocols/mpegts/mpegtstest"
)

// TestSegmenterTSReadsBack has this package's demuxer read back the
// MPEG-TS that media/segment's muxer writes: every frame the segmenter
// took comes back, in order per track, with its payload and its DTS and
// PTS on the 90 kHz clock (up to one shift for the whole stream), from
// H.264 with and without composition offsets, AAC, H.265 and Opus. Video
// timestamps are exact; audio ones are those of the track's CMAF
// timescale, which the MPEG-TS is made from: within one of its units.
func TestSegmenterTSReadsBack(t *testing.T) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	fromTS := func(b []byte) ([]media.Track, []*media.Frame) {
		r := demuxAll(t, b, Config{})
		if !errors.Is(r.err, io.EOF) {
			t.Fatalf("demuxing the source: %v", r.err)
		}
		return r.tracks, r.frames
	}
	for _, c := range []struct {
		name   string
		tracks func() ([]media.Track, []*media.Frame)
	}{
		{"clip h264 aac", func() ([]media.Track, []*media.Frame) { return clip.Tracks, clip.Loop(6 * time.Second) }},
		{"clip h264 reordered", func() ([]media.Track, []*media.Frame) { return clip.Tracks, reordered(clip.Loop(4 * time.Second)) }},
		{"h264 aac", func() ([]media.Track, []*media.Frame) { return fromTS(mpegtstest.H264AAC(t, "2")) }},
		{"h265 opus", func() ([]media.Track, []*media.Frame) { return fromTS(mpegtstest.H265Opus(t)) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			tracks, frames := c.tracks()
			ts, taken := segmentTS(t, tracks, frames)
			back := demuxAll(t, ts, Config{})
			if !errors.Is(back.err, io.EOF) {
				t.Fatalf("demuxing the segments: %v", back.err)
			}
			if back.stats.TS.CCErrors.Load() != 0 || back.stats.Errors.Load() != 0 {
				t.Errorf("demuxing the segments: %d CC errors, %d errors", back.stats.TS.CCErrors.Load(), back.stats.Errors.Load())
			}
			if len(back.tracks) != len(tracks) {
				t.Fatalf("got %d tracks, want %d", len(back.tracks), len(tracks))
			}
			for i, tr := range tracks {
				if back.tracks[i].Codec != tr.Codec {
					t.Errorf("track %d: codec %s, want %s", i, back.tracks[i].Codec, tr.Codec)
				}
				compareTrack(t, tr, perTrack(taken, i), perTrack(back.frames, i))
			}
		})
	}
}

// reordered gives video frames the composition offsets of B-frames: PTS
// 40 to 120 ms after DTS, changing from frame to frame.
func reordered(frames []*media.Frame) []*media.Frame {
	n := 0
	for _, f := range frames {
		if f.Track == 0 { // the clip's video
			f.PTS = f.DTS + time.Duration(1+n%3)*40*time.Millisecond
			n++
		}
	}
	return frames
}

// segmentTS feeds frames to a segmenter and returns its segments' MPEG-TS
// back to back, and the frames it took: those from the leading track's
// first keyframe on.
func segmentTS(t *testing.T, tracks []media.Track, frames []*media.Frame) ([]byte, []*media.Frame) {
	t.Helper()
	s := segment.New(segment.Config{
		SegmentDuration: time.Second, WindowSegments: 100, KeepTimeline: true,
		Now: func() time.Time { return time.Unix(0, 0) },
	})
	if err := s.SetTracks(tracks); err != nil {
		t.Fatal(err)
	}
	first := slices.IndexFunc(frames, func(f *media.Frame) bool {
		return f.Keyframe && tracks[f.Track].Codec.Kind() == media.KindVideo
	})
	for _, f := range frames {
		s.WriteFrame(f)
	}
	s.Close()
	if st := s.Stats(); st.Errors != 0 || st.Frames != uint64(len(frames)-first) {
		t.Fatalf("segmenter: %+v, want %d frames", st, len(frames)-first)
	}
	var ts []byte
	for _, seg := range s.Window().Segments {
		ts = append(ts, seg.MPEGTS()...)
	}
	return ts, frames[first:]
}

func perTrack(frames []*media.Frame, id int) []*media.Frame {
	var out []*media.Frame
	for _, f := range frames {
		if f.Track == id {
			out = append(out, f)
		}
	}
	return out
}

// compareTrack checks that got is want: same payloads (AUD and parameter
// sets aside, which the muxer adds), keyframes, and timestamps in 90 kHz
// ticks shifted by one constant.
func compareTrack(t *testing.T, tr media.Track, want, got []*media.Frame) {
	t.Helper()
	id := tr.ID
	if len(got) != len(want) {
		t.Fatalf("track %d: %d frames back, want %d", id, len(got), len(want))
	}
	var slack int64 // audio: one unit of its sample rate, and the rounding
	if tr.Codec.Kind() != media.KindVideo && tr.SampleRate > 0 {
		slack = int64(90000/tr.SampleRate) + 1
	}
	shift := tick(got[0].DTS) - tick(want[0].DTS)
	for i, w := range want {
		g := got[i]
		if d := tick(g.DTS) - tick(w.DTS) - shift; d < -slack || d > slack ||
			tick(g.PTS)-tick(g.DTS) != tick(w.PTS)-tick(w.DTS) {
			t.Fatalf("track %d frame %d: DTS %v PTS %v, want DTS %v PTS %v shifted by %d ticks",
				id, i, g.DTS, g.PTS, w.DTS, w.PTS, shift)
		}
		if g.Keyframe != w.Keyframe {
			t.Fatalf("track %d frame %d: keyframe %v, want %v", id, i, g.Keyframe, w.Keyframe)
		}
		if a, b := bytes.Join(pictures(tr.Codec, g.Data), []byte{0}), bytes.Join(pictures(tr.Codec, w.Data), []byte{0}); !bytes.Equal(a, b) {
			t.Fatalf("track %d frame %d: payload differs (%d bytes, want %d)", id, i, len(a), len(b))
		}
	}
}

// tick is d on the 90 kHz clock, rounded.
func tick(d time.Duration) int64 { return (int64(d)*9 + 50_000) / 100_000 }

// pictures drops AUD and parameter set NAL units from a video payload;
// an audio payload passes unchanged.
func pictures(codec media.Codec, nals [][]byte) [][]byte {
	var out [][]byte
	for _, n := range nals {
		switch {
		case len(n) == 0:
		case codec == media.CodecH264 && n[0]&0x1f >= h264SPS && n[0]&0x1f <= h264AUD:
			continue
		case codec == media.CodecH265 && (n[0]>>1)&0x3f >= h265VPS && (n[0]>>1)&0x3f <= h265AUD:
			continue
		}
		out = append(out, n)
	}
	return out
}
