package hls

import (
	"time"

	"streamhive/media"
	"streamhive/media/segment"
)

// partTargetOf returns the playlist's PART-TARGET (EXT-X-PART-INF), which
// RFC 8216bis 4.4.4.9 wants no part of it to exceed: the segmenter's part
// target, except in the CMAF playlist of an audio track beside video. The
// video's cuts make the parts there, and an audio frame is not split: a
// part's audio runs from the frame that holds the cut to the one before
// the next, up to a frame longer than the video's part. Its target is
// then the part target plus a frame (the longest of segs and the partial
// segment, in units of its track), so that it is the same from reload to
// reload (players fail on a PART-TARGET that changes), and never less
// than the longest part listed. Rounded up to the millisecond, as it is
// rendered.
func (r *mediaRenderer) partTargetOf(segs []*segment.Segment) time.Duration {
	target, track := r.w.PartTarget, r.o.Track
	if r.o.Format != FMP4 || r.w.Tracks[track].Codec.Kind() != media.KindAudio || videoTracks(r.w.Tracks) == 0 {
		return target
	}
	var frame, longest time.Duration
	note := func(seg *segment.Segment) {
		for _, p := range seg.Parts {
			if track >= len(p.Spans) || p.Spans[track].Samples == 0 {
				continue
			}
			sp := p.Spans[track]
			n := uint64(sp.Samples)
			frame = max(frame, segment.Span{Timescale: sp.Timescale, Length: (sp.Length + n - 1) / n}.Duration())
			longest = max(longest, sp.Duration())
		}
	}
	for _, seg := range segs {
		note(seg)
	}
	if p := partialOnly(r.w, r.o); p != nil {
		note(p)
	}
	target = max(target+frame, longest)
	return (target + time.Millisecond - 1).Truncate(time.Millisecond)
}
