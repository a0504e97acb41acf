package hls

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"streamhive/media"
	"streamhive/media/segment"
)

// ErrNotReady is returned while the window has no finished segment (of the
// requested track): the gateway answers with a retryable status, never an
// empty playlist.
var ErrNotReady = errors.New("hls: no segment yet")

// ErrNoTrack is returned for an FMP4 playlist of a track the stream lacks.
var ErrNoTrack = errors.New("hls: no such track")

// MediaOptions select a media playlist.
type MediaOptions struct {
	Format     Format
	Track      int  // FMP4: the track (Track.ID); TS: ignored
	LowLatency bool // add LL-HLS parts, preload hint and server control
	// Skip renders a Playlist Delta Update (RFC 8216bis 6.2.5.1, a
	// client's _HLS_skip=YES): the segments older than the skip boundary
	// that a low-latency playlist advertises (CAN-SKIP-UNTIL) become one
	// EXT-X-SKIP. Ignored without LowLatency.
	Skip  bool
	Names Names
}

// skipTargets is CAN-SKIP-UNTIL in target durations: the least RFC
// 8216bis allows (six), so that a delta update skips the most.
const skipTargets = 6

// pdtLayout is EXT-X-PROGRAM-DATE-TIME's ISO 8601 form, in milliseconds.
const pdtLayout = "2006-01-02T15:04:05.000Z07:00"

// Media renders a media playlist of w. Segments of an older epoch that lack
// the requested track are left out. Partial segments are listed for the
// segments of the last three target durations (RFC 8216bis 4.4.4.9). A
// low-latency playlist is ready with the first part of the first segment,
// so that a viewer can start one part after the stream's first keyframe;
// a classic one with the first finished segment.
func Media(w *segment.Window, o MediaOptions) ([]byte, error) {
	if o.Format == FMP4 && (o.Track < 0 || o.Track >= len(w.Tracks)) {
		return nil, fmt.Errorf("%w: %d", ErrNoTrack, o.Track)
	}
	segs := w.Segments
	for len(segs) > 0 && o.Format == FMP4 && o.Track >= len(segs[0].Init.Tracks) {
		segs = segs[1:]
	}
	first := partialOnly(w, o)
	if len(segs) > 0 {
		first = segs[0]
	}
	if first == nil {
		return nil, ErrNotReady
	}
	r := mediaRenderer{o: o, w: w}
	r.header(first, segs)
	partsFrom := r.partsFrom(segs)
	skipped := 0
	if o.Skip && o.LowLatency {
		skipped = r.skippable(segs)
	}
	var prev *segment.Init
	if skipped > 0 {
		fmt.Fprintf(&r.b, "#EXT-X-SKIP:SKIPPED-SEGMENTS=%d\n", skipped)
		prev, r.remap = segs[skipped-1].Init, true
	}
	for i, seg := range segs[skipped:] {
		i += skipped
		r.segmentHead(seg, prev)
		prev = seg.Init
		if o.LowLatency && i >= partsFrom {
			r.parts(seg)
		}
		fmt.Fprintf(&r.b, "#EXTINF:%.3f,\n%s\n", secs(r.segDuration(seg)), o.Names.Segment(seg, o.Format, o.Track))
	}
	if p := w.Partial; o.LowLatency && p != nil && len(p.Parts) > 0 {
		r.segmentHead(p, prev)
		r.parts(p)
	}
	if o.LowLatency && !w.Ended {
		r.preloadHint()
	}
	if w.Ended {
		r.b.WriteString("#EXT-X-ENDLIST\n")
	}
	return []byte(r.b.String()), nil
}

type mediaRenderer struct {
	o MediaOptions
	w *segment.Window
	b strings.Builder
	// remap: the next segment names its init although the one before it
	// had the same (that one was skipped).
	remap  bool
	target time.Duration // EXT-X-TARGETDURATION, as rendered
}

// skippable returns how many leading segments a delta update skips: those
// ending at least CAN-SKIP-UNTIL before the end of the playlist.
func (r *mediaRenderer) skippable(segs []*segment.Segment) int {
	var end time.Duration
	if r.w.Partial != nil {
		end = r.w.Partial.Duration
	}
	for _, s := range segs {
		end += r.segDuration(s)
	}
	boundary := end - skipTargets*r.target
	n := 0
	for t := time.Duration(0); n < len(segs); n++ {
		if t += r.segDuration(segs[n]); t > boundary {
			break
		}
	}
	return n
}

// partialOnly returns the segment in progress when a low-latency playlist
// can list its parts (it has some, of the requested track's epoch), or nil.
func partialOnly(w *segment.Window, o MediaOptions) *segment.Segment {
	p := w.Partial
	if !o.LowLatency || p == nil || len(p.Parts) == 0 || (o.Format == FMP4 && o.Track >= len(p.Init.Tracks)) {
		return nil
	}
	return p
}

// header writes the playlist's tags up to the first segment's, first.
func (r *mediaRenderer) header(first *segment.Segment, segs []*segment.Segment) {
	version := 3
	switch {
	case r.o.LowLatency:
		version = 9
	case r.o.Format == FMP4:
		version = 7
	}
	target := int(math.Ceil(r.w.TargetDuration.Seconds()))
	for _, s := range segs {
		target = max(target, int(math.Round(secs(r.segDuration(s)))))
	}
	b := &r.b
	r.target = time.Duration(max(target, 1)) * time.Second
	fmt.Fprintf(b, "#EXTM3U\n#EXT-X-VERSION:%d\n#EXT-X-TARGETDURATION:%d\n", version, max(target, 1))
	if r.o.LowLatency {
		part := r.partTargetOf(segs) // parttarget.go
		fmt.Fprintf(b, "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,CAN-SKIP-UNTIL=%.3f,PART-HOLD-BACK=%.3f\n",
			skipTargets*secs(r.target), 3*secs(part))
		fmt.Fprintf(b, "#EXT-X-PART-INF:PART-TARGET=%.3f\n", secs(part))
	}
	fmt.Fprintf(b, "#EXT-X-MEDIA-SEQUENCE:%d\n", first.MSN)
	if d := first.DiscontinuitySeq; d > 0 {
		if first.Discontinuity {
			d-- // the first segment's own discontinuity is counted by the tag it carries
		}
		fmt.Fprintf(b, "#EXT-X-DISCONTINUITY-SEQUENCE:%d\n", d)
	}
	b.WriteString("#EXT-X-INDEPENDENT-SEGMENTS\n")
}

// partsFrom returns the index of the first segment whose parts are listed:
// those ending within three target durations of the playlist's end.
func (r *mediaRenderer) partsFrom(segs []*segment.Segment) int {
	var tail time.Duration
	if r.w.Partial != nil {
		tail = r.w.Partial.Duration
	}
	i := len(segs)
	for i > 0 && tail < 3*r.w.TargetDuration {
		i--
		tail += segs[i].Duration
	}
	return i
}

// segmentHead writes the tags that precede a segment's parts and EXTINF.
func (r *mediaRenderer) segmentHead(seg *segment.Segment, prev *segment.Init) {
	b := &r.b
	if seg.Discontinuity && prev != nil {
		b.WriteString("#EXT-X-DISCONTINUITY\n")
	}
	if r.o.Format == FMP4 && (seg.Init != prev || r.remap) {
		fmt.Fprintf(b, "#EXT-X-MAP:URI=%q\n", r.o.Names.Init(seg.Init, r.o.Track))
	}
	r.remap = false
	fmt.Fprintf(b, "#EXT-X-PROGRAM-DATE-TIME:%s\n", seg.ProgramDateTime.UTC().Format(pdtLayout))
}

func (r *mediaRenderer) parts(seg *segment.Segment) {
	audio := r.o.Format == FMP4 && seg.Init.Tracks[r.o.Track].Codec.Kind() == media.KindAudio
	for _, p := range seg.Parts {
		fmt.Fprintf(&r.b, "#EXT-X-PART:DURATION=%.3f,URI=%q", secs(r.partDuration(p)), r.o.Names.Part(seg, p.Index, r.o.Format, r.o.Track))
		if p.Independent || audio {
			r.b.WriteString(",INDEPENDENT=YES")
		}
		r.b.WriteByte('\n')
	}
}

// preloadHint names the part that the segmenter produces next.
func (r *mediaRenderer) preloadHint() {
	seg, part := &segment.Segment{MSN: r.w.NextMSN()}, 0
	if p := r.w.Partial; p != nil {
		seg, part = p, len(p.Parts)
	}
	fmt.Fprintf(&r.b, "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=%q\n", r.o.Names.Part(seg, part, r.o.Format, r.o.Track))
}

// segDuration is the segment's duration for this playlist: the leading
// track's for TS, the track's own for FMP4 (audio fragments are not cut
// exactly where video ones are).
func (r *mediaRenderer) segDuration(s *segment.Segment) time.Duration {
	if r.o.Format == FMP4 && r.o.Track < len(s.Spans) && s.Spans[r.o.Track].Samples > 0 {
		return s.Spans[r.o.Track].Duration()
	}
	return s.Duration
}

func (r *mediaRenderer) partDuration(p *segment.Part) time.Duration {
	if r.o.Format == FMP4 && r.o.Track < len(p.Spans) && p.Spans[r.o.Track].Samples > 0 {
		return p.Spans[r.o.Track].Duration()
	}
	return p.Duration
}

func secs(d time.Duration) float64 { return d.Seconds() }
