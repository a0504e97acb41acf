// Package dash renders a live MPEG-DASH manifest (ISO/IEC 23009-1, live
// profile, CMAF) from a segment.Window. Like media/hls it is a pure
// function of the window and its options.
package dash

import (
	"errors"
	"fmt"
	"strconv"
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
	// Periods splits the current epoch's segments into Periods (key
	// rotation: one per content key); nil gives one Period for them all.
	// Image tracks are listed only in an MPD of one Period.
	Periods func(segs []*segment.Segment) ([]Period, error)
	// AssetID, with Periods, is every Period's AssetIdentifier, and each
	// Period signals that it continues the one before (period-continuity),
	// so players keep their decoders and buffers across the boundary.
	AssetID string
	// Namespaces are declared on the MPD element (xmlns:cenc=... for the
	// ContentProtection of Period.Descriptors), each with a leading space.
	Namespaces string
}

// timeLayout is xs:dateTime in UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

// MPD renders the manifest: one Period per epoch (only the current one is
// listed; Options.Periods splits it further), one AdaptationSet per track — except that several video tracks
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
	periods := []Period{{ID: strconv.Itoa(w.Init.Epoch), Segments: segs}}
	if o.Periods != nil {
		var err error
		if periods, err = o.Periods(segs); err != nil {
			return nil, err
		}
		if len(periods) == 0 {
			return nil, ErrNotReady
		}
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
	fmt.Fprintf(b, `<MPD xmlns="urn:mpeg:dash:schema:mpd:2011"%s profiles="urn:mpeg:dash:profile:isoff-live:2011" type="dynamic"`+
		` availabilityStartTime="%s" publishTime="%s" minimumUpdatePeriod="%s" minBufferTime="%s"`+
		` timeShiftBufferDepth="%s" suggestedPresentationDelay="%s" maxSegmentDuration="%s">`+"\n",
		o.Namespaces, ast.UTC().Format(timeLayout), o.PublishTime.UTC().Format(timeLayout), duration(w.TargetDuration),
		duration(w.TargetDuration), duration(depth), duration(delay), duration(longest))
	for i, p := range periods {
		pw := periodWriter{Period: p, init: w.Init, names: o.Names, leadIn: i == 0}
		if i > 0 && o.AssetID != "" {
			pw.continues = periods[i-1].ID
		}
		if err := pw.write(b, w, o, ast, len(periods) == 1); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(b, "  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" value=\"%s\"/>\n", o.PublishTime.UTC().Format(timeLayout))
	b.WriteString("</MPD>\n")
	return []byte(b.String()), nil
}

func (p *periodWriter) adaptationSet(b *strings.Builder, t media.Track) error {
	init, segs := p.init, p.Segments
	codecs, err := codec.String(t)
	if err != nil {
		return err
	}
	kind := t.Codec.Kind()
	fmt.Fprintf(b, "    <AdaptationSet id=\"%d\" contentType=\"%s\" mimeType=\"%s/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\">\n", t.ID, kind, kind)
	p.descriptors(b)
	p.segmentTemplate(b, t.ID, "      ")
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
func (p *periodWriter) renditionSet(b *strings.Builder, tracks []media.Track) error {
	segs := p.Segments
	fmt.Fprintf(b, "    <AdaptationSet id=\"%d\" contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\">\n", tracks[0].ID)
	p.descriptors(b)
	for _, t := range tracks {
		codecs, err := codec.String(t)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "      <Representation id=\"%d\" codecs=\"%s\" bandwidth=\"%d\" width=\"%d\" height=\"%d\">\n",
			t.ID, codecs, bandwidth(segs, t.ID), t.Width, t.Height)
		p.segmentTemplate(b, t.ID, "        ")
		b.WriteString("      </Representation>\n")
	}
	b.WriteString("    </AdaptationSet>\n")
	return nil
}

// leadIn reports whether a track's timeline opens with a lead-in entry:
// one S from the Period's start (t=pto) to the first segment of the window,
// standing for the segments the window no longer holds. It ends where the
// time-shift buffer begins, so no player may fetch it, but it makes the
// timeline start at the Period's start. GStreamer's dashdemux (1.22) needs
// that: it seeks in a SegmentTimeline by adding the first entry's start to
// the seek time, so a sliding window whose first entry starts later sends
// it that far past the live edge, to a segment that is not there yet, and
// it reloads the MPD forever without fetching one. The lead-in takes the
// number before the window's first (startNumber is one lower), so every
// real segment keeps its own number.
// Only the first Period of an MPD has one: a later one starts with its
// first segment.
func (p *periodWriter) hasLeadIn(track int) bool {
	segs := p.Segments
	return p.leadIn && segs[0].Spans[track].Base > p.pto(track) && segs[0].MSN > 0
}

// startNumber is the number of a track's first timeline entry.
func (p *periodWriter) startNumber(track int) uint64 {
	segs := p.Segments
	if p.hasLeadIn(track) {
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
func (p *periodWriter) timeline(b *strings.Builder, track int) {
	segs := p.Segments
	b.WriteString("        <SegmentTimeline>\n")
	type run struct {
		t, d   uint64
		repeat int
		withT  bool
	}
	var cur *run
	if p.hasLeadIn(track) {
		pto := p.pto(track)
		cur = &run{t: pto, d: segs[0].Spans[track].Base - pto, withT: true}
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
