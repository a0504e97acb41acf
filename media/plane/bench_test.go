package plane

import (
	"runtime"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
)

// BenchmarkIngestPath measures one frame's way from an input's hub writer
// through the hub and the packager goroutine into the segmenter (MPEG-TS,
// CMAF, LL-HLS parts), with the meter and preview the packager keeps. One
// op is one frame of the test clip (H.264 + AAC); each write waits for the
// packager to take it, so the hub never drops. allocs/op counts every
// goroutine's allocations; the frames themselves are made before the timer.
func BenchmarkIngestPath(b *testing.B) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		b.Fatal(err)
	}
	const pass = 60 * time.Second
	frames := clip.Loop(pass)
	p := New(Options{SegmentDuration: 2 * time.Second, Preview: fakeJPEG})
	p.StartPackager()
	defer p.Close()
	w := p.Input().NewWriter()
	p.Input().SetTracks(clip.Tracks)
	// A consumer starts at a keyframe: begin there, so that the packager
	// takes every frame written.
	var n, first uint64
	for f := frames[first]; !f.Keyframe || clip.Tracks[f.Track].Codec.Kind() != media.KindVideo; f = frames[first] {
		first++
	}
	n = first
	b.ReportAllocs()
	for b.Loop() {
		i := int(n % uint64(len(frames)))
		if i == 0 && n > 0 {
			b.StopTimer()
			shift(frames, pass)
			b.StartTimer()
		}
		w.WriteFrame(frames[i])
		n++
		for st := p.Segmenter().Stats(); st.Frames+st.Dropped+st.Errors < n-first; st = p.Segmenter().Stats() {
			runtime.Gosched()
		}
	}
}

// shift moves the frames' timestamps d later, for another pass. The
// packager is done with them (each write waited for it); the segmenter's
// pending samples keep only their payloads, which do not change.
func shift(frames []*media.Frame, d time.Duration) {
	for i, f := range frames {
		g := *f
		g.DTS += d
		g.PTS += d
		frames[i] = &g
	}
}
