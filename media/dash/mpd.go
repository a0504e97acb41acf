// Package dash renders a live MPEG-DASH manifest (ISO/IEC 23009-1, live
// profile, CMAF) from a segment.Window. Like media/hls it is a pure
// function of the window and its options.
package dash

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"streamhive/media"
	"streamhive/media/codec"
	"streamhive/media/segment"
)

// ErrNotReady is returned while the window holds no finished segment of
// the current epoch.
var ErrNotReady = errors.New("dash: no segment yet")

// Names gives the URIs an MPD writes, relative to the MPD.
type Names interface {
	// Init names a track's CMAF init segment of an epoch.
	Init(init *segment.Init, track int) string
	// Media is a track's SegmentTemplate@media: it must contain $Number$,
	// which a player replaces with a segment's MSN.
	Media(init *segment.Init, track int) string
}

// DefaultNames matches hls.DefaultNames, so one set of URLs serves HLS fMP4
// and DASH: init-E.tT.mp4 and seg-$Number$.tT.m4s.
type DefaultNames struct{}

// Init implements Names.
func (DefaultNames) Init(init *segment.Init, track int) string {
	return fmt.Sprintf("init-%d.t%d.mp4", init.Epoch, track)
}

// Media implements Names.
func (DefaultNames) Media(_ *segment.Init, track int) string {
	return fmt.Sprintf("seg-$Number$.t%d.m4s", track)
}

// Options configure an MPD.
type Options struct {
	Names Names
	// PublishTime is when this MPD is generated (the caller's clock, so
	// that rendering stays pure). It is also sent as UTCTiming so players
	// follow the server's clock.
	PublishTime time.Time
	// PresentationDelay is suggestedPresentationDelay: how far behind the
	// live edge players should stay. Default three target durations.
	PresentationDelay time.Duration
	// Images are the stream's image tracks (thumbnails, images.go), each
	// an AdaptationSet after the tracks'; ImageMedia gives their
	// SegmentTemplate@media (with $RepresentationID$ and $Time$) from the
	// UTC second the Period starts at. Both or neither.
	Images     []Image
	ImageMedia func(from int64) string
}

// timeLayout is xs:dateTime in UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

// MPD renders the manifest: one Period per epoch (only the current one is
// listed), one AdaptationSet per track — except that several video tracks
// (a transcoder's renditions) share one AdaptationSet with a
// Representation each, so players switch between them — each with a
// SegmentTimeline whose
// entries are the segments' decode time spans in the track's timescale, so
// the timeline advances without gaps. availabilityStartTime is the wall
// clock of the output timeline's zero (segment.ProgramDateTime - DTS), so
// a segment becomes available once its last frame has arrived.
func MPD(w *segment.Window, o Options) ([]byte, error) {
	var segs []*segment.Segment
	for _, s := range w.Segments {
		if s.Init == w.Init {
			segs = append(segs, s)
		}
	}
	if len(segs) == 0 {
		return nil, ErrNotReady
	}
	delay := o.PresentationDelay
	if delay <= 0 {
		delay = 3 * w.TargetDuration
	}
	var depth, longest time.Duration
	for _, s := range segs {
		depth += s.Duration
		longest = max(longest, s.Duration)
	}
	ast := segs[0].ProgramDateTime.Add(-segs[0].DTS)
	b := &strings.Builder{}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(b, `<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="dynamic"`+
		` availabilityStartTime="%s" publishTime="%s" minimumUpdatePeriod="%s" minBufferTime="%s"`+
		` timeShiftBufferDepth="%s" suggestedPresentationDelay="%s" maxSegmentDuration="%s">`+"\n",
		ast.UTC().Format(timeLayout), o.PublishTime.UTC().Format(timeLayout), duration(w.TargetDuration),
		duration(w.TargetDuration), duration(depth), duration(delay), duration(longest))
	fmt.Fprintf(b, "  <Period id=\"%d\" start=\"PT0S\">\n", w.Init.Epoch)
	var video []media.Track
	for _, t := range w.Tracks {
		if t.Codec.Kind() == media.KindVideo {
			video = append(video, t)
		}
	}
	if len(video) > 1 {
		if err := renditionSet(b, w.Init, video, segs, o.Names); err != nil {
			return nil, err
		}
	}
	for _, t := range w.Tracks {
		if len(video) > 1 && t.Codec.Kind() == media.KindVideo {
			continue
		}
		if err := adaptationSet(b, w.Init, t, segs, o.Names); err != nil {
			return nil, err
		}
	}
	if len(o.Images) > 0 && o.ImageMedia != nil {
		imageSets(b, w, ast, len(w.Tracks), o.Images, o.ImageMedia)
	}
	b.WriteString("  </Period>\n")
	fmt.Fprintf(b, "  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" value=\"%s\"/>\n", o.PublishTime.UTC().Format(timeLayout))
	b.WriteString("</MPD>\n")
	return []byte(b.String()), nil
}

func adaptationSet(b *strings.Builder, init *segment.Init, t media.Track, segs []*segment.Segment, n Names) error {
	codecs, err := codec.String(t)
	if err != nil {
		return err
	}
	kind := t.Codec.Kind()
	fmt.Fprintf(b, "    <AdaptationSet id=\"%d\" contentType=\"%s\" mimeType=\"%s/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\">\n", t.ID, kind, kind)
	fmt.Fprintf(b, "      <SegmentTemplate timescale=\"%d\" initialization=\"%s\" media=\"%s\" startNumber=\"%d\" presentationTimeOffset=\"0\">\n",
		init.Timescales[t.ID], attr(n.Init(init, t.ID)), attr(n.Media(init, t.ID)), startNumber(segs, t.ID))
	timeline(b, segs, t.ID)
	b.WriteString("      </SegmentTemplate>\n")
	fmt.Fprintf(b, "      <Representation id=\"%d\" codecs=\"%s\" bandwidth=\"%d\"", t.ID, codecs, bandwidth(segs, t.ID))
	if kind == media.KindVideo {
		fmt.Fprintf(b, " width=\"%d\" height=\"%d\"/>\n", t.Width, t.Height)
	} else {
		fmt.Fprintf(b, " audioSamplingRate=\"%d\">\n", init.Timescales[t.ID])
		fmt.Fprintf(b, "        <AudioChannelConfiguration schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"%d\"/>\n", max(t.Channels, 1))
		b.WriteString("      </Representation>\n")
	}
	b.WriteString("    </AdaptationSet>\n")
	return nil
}

// renditionSet writes one video AdaptationSet with a Representation per
// track, each with its own SegmentTemplate (the tracks' segments have
// their own names). The renditions' segments start at the same times
// (the transcoder aligns their keyframes), so segmentAlignment holds.
func renditionSet(b *strings.Builder, init *segment.Init, tracks []media.Track, segs []*segment.Segment, n Names) error {
	fmt.Fprintf(b, "    <AdaptationSet id=\"%d\" contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\">\n", tracks[0].ID)
	for _, t := range tracks {
		codecs, err := codec.String(t)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "      <Representation id=\"%d\" codecs=\"%s\" bandwidth=\"%d\" width=\"%d\" height=\"%d\">\n",
			t.ID, codecs, bandwidth(segs, t.ID), t.Width, t.Height)
		fmt.Fprintf(b, "        <SegmentTemplate timescale=\"%d\" initialization=\"%s\" media=\"%s\" startNumber=\"%d\" presentationTimeOffset=\"0\">\n",
			init.Timescales[t.ID], attr(n.Init(init, t.ID)), attr(n.Media(init, t.ID)), startNumber(segs, t.ID))
		timeline(b, segs, t.ID)
		b.WriteString("        </SegmentTemplate>\n      </Representation>\n")
	}
	b.WriteString("    </AdaptationSet>\n")
	return nil
}

// leadIn reports whether a track's timeline opens with a lead-in entry:
// one S from the Period's start (t=0) to the first segment of the window,
// standing for the segments the window no longer holds. It ends where the
// time-shift buffer begins, so no player may fetch it, but it makes the
// timeline start at the Period's start. GStreamer's dashdemux (1.22) needs
// that: it seeks in a SegmentTimeline by adding the first entry's start to
// the seek time, so a sliding window whose first entry starts later sends
// it that far past the live edge, to a segment that is not there yet, and
// it reloads the MPD forever without fetching one. The lead-in takes the
// number before the window's first (startNumber is one lower), so every
// real segment keeps its own number.
func leadIn(segs []*segment.Segment, track int) bool {
	return segs[0].Spans[track].Base > 0 && segs[0].MSN > 0
}

// startNumber is the number of a track's first timeline entry.
func startNumber(segs []*segment.Segment, track int) uint64 {
	if leadIn(segs, track) {
		return segs[0].MSN - 1
	}
	return segs[0].MSN
}

// timeline writes the SegmentTimeline of one track. Each entry lasts until
// the next segment's start, so that rounding never leaves a gap; runs of
// equal durations fold into @r. Where the next segment starts later than
// this one's media ends by more than half its length (the segmenter jumped
// its timeline to catch up with the wall clock), the entry keeps its own
// length and the next one states its start: a gap in the timeline, which
// players skip, instead of a segment claiming the whole outage.
func timeline(b *strings.Builder, segs []*segment.Segment, track int) {
	b.WriteString("        <SegmentTimeline>\n")
	type run struct {
		t, d   uint64
		repeat int
		withT  bool
	}
	var cur *run
	if leadIn(segs, track) {
		cur = &run{d: segs[0].Spans[track].Base, withT: true}
	}
	flush := func() {
		if cur == nil {
			return
		}
		tAttr, rAttr := "", ""
		if cur.withT {
			tAttr = fmt.Sprintf(" t=\"%d\"", cur.t)
		}
		if cur.repeat > 0 {
			rAttr = fmt.Sprintf(" r=\"%d\"", cur.repeat)
		}
		fmt.Fprintf(b, "          <S%s d=\"%d\"%s/>\n", tAttr, cur.d, rAttr)
	}
	for i, s := range segs {
		sp := s.Spans[track]
		d := sp.Length
		if i+1 < len(segs) {
			if next := segs[i+1].Spans[track].Base; next > sp.Base && next-sp.Base <= sp.Length+sp.Length/2 {
				d = next - sp.Base
			}
		}
		contiguous := cur != nil && cur.t+cur.d*uint64(cur.repeat+1) == sp.Base
		if contiguous && d == cur.d {
			cur.repeat++
			continue
		}
		flush()
		cur = &run{t: sp.Base, d: d, withT: !contiguous}
	}
	flush()
	b.WriteString("        </SegmentTimeline>\n")
}

// bandwidth is the track's peak bit rate over segs.
func bandwidth(segs []*segment.Segment, track int) int {
	peak := 0
	for _, s := range segs {
		if d := s.Duration.Seconds(); d > 0 {
			peak = max(peak, int(float64(len(s.CMAF[track])*8)/d))
		}
	}
	return peak
}

// duration formats d as an xs:duration in seconds with millisecond precision.
func duration(d time.Duration) string {
	return fmt.Sprintf("PT%.3fS", d.Seconds())
}

// attr escapes s for a double-quoted XML attribute.
func attr(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
