package dash

import (
	"fmt"
	"strings"
	"time"

	"streamhive/media"
	"streamhive/media/segment"
)

// Period is one Period of an MPD, as Options.Periods splits the window:
// consecutive segments that share something a Period fixes (a content
// key, DASH-IF IOP's way of rotating keys in a live MPD).
type Period struct {
	// ID names the Period; it must stay the same across MPD updates.
	ID string
	// Start is the Period's start on the output timeline (the segments'
	// DTS; availabilityStartTime is its zero). It must stay the same across
	// MPD updates too, so the caller keeps it once chosen. The first
	// Period's SegmentTimeline leads in from it to its first segment.
	Start time.Duration
	// Segments are the Period's segments, in order, contiguous.
	Segments []*segment.Segment
	// InitQuery is added to the Period's initialization URIs ("drm_at=..."):
	// a protected init carries its key id, so its name must say which key.
	InitQuery string
	// Descriptors are written at the top of each audio and video
	// AdaptationSet (ContentProtection elements, already indented).
	Descriptors string
}

// periodContinuity is the SupplementalProperty scheme saying that an
// AdaptationSet continues the same-id one of the Period named by its value.
const periodContinuity = "urn:mpeg:dash:period-continuity:2015"

// assetScheme is the AssetIdentifier scheme DASH-IF IOP uses.
const assetScheme = "urn:org:dashif:asset-id:2013"

// periodWriter writes one Period.
type periodWriter struct {
	Period
	init      *segment.Init
	names     Names
	leadIn    bool   // the MPD's first Period: its timeline leads in
	continues string // the previous Period's ID, or ""
}

func (p *periodWriter) write(b *strings.Builder, w *segment.Window, o Options, ast time.Time, only bool) error {
	fmt.Fprintf(b, "  <Period id=\"%s\" start=\"%s\">\n", attr(p.ID), periodStart(p.Start))
	if o.Periods != nil && o.AssetID != "" {
		fmt.Fprintf(b, "    <AssetIdentifier schemeIdUri=\"%s\" value=\"%s\"/>\n", assetScheme, attr(o.AssetID))
	}
	var video []media.Track
	for _, t := range w.Tracks {
		if t.Codec.Kind() == media.KindVideo {
			video = append(video, t)
		}
	}
	if len(video) > 1 {
		if err := p.renditionSet(b, video); err != nil {
			return err
		}
	}
	for _, t := range w.Tracks {
		if len(video) > 1 && t.Codec.Kind() == media.KindVideo {
			continue
		}
		if err := p.adaptationSet(b, t); err != nil {
			return err
		}
	}
	if only && len(o.Images) > 0 && o.ImageMedia != nil {
		imageSets(b, w, ast.Add(p.Start), len(w.Tracks), o.Images, o.ImageMedia)
	}
	b.WriteString("  </Period>\n")
	return nil
}

// descriptors writes what tops a media AdaptationSet of the Period.
func (p *periodWriter) descriptors(b *strings.Builder) {
	b.WriteString(p.Descriptors)
	if p.continues != "" {
		fmt.Fprintf(b, "      <SupplementalProperty schemeIdUri=\"%s\" value=\"%s\"/>\n", periodContinuity, attr(p.continues))
	}
}

// segmentTemplate writes a track's SegmentTemplate and its timeline.
func (p *periodWriter) segmentTemplate(b *strings.Builder, track int, indent string) {
	initURI := p.names.Init(p.init, track)
	if p.InitQuery != "" {
		sep := "?"
		if strings.Contains(initURI, "?") {
			sep = "&"
		}
		initURI += sep + p.InitQuery
	}
	fmt.Fprintf(b, "%s<SegmentTemplate timescale=\"%d\" initialization=\"%s\" media=\"%s\" startNumber=\"%d\" presentationTimeOffset=\"%d\">\n",
		indent, p.init.Timescales[track], attr(initURI), attr(p.names.Media(p.init, track)), p.startNumber(track), p.pto(track))
	p.timeline(b, track)
	b.WriteString(indent + "</SegmentTemplate>\n")
}

// pto is a track's presentationTimeOffset: the Period's start in the
// track's timescale, so that a sample's time in the Period plus the
// Period's start is its time on the output timeline, as in one Period.
// Start is written in microseconds, and pto from that value, so players
// reading the MPD land on the same tick.
func (p *periodWriter) pto(track int) uint64 {
	us := p.Start.Microseconds()
	if us <= 0 {
		return 0
	}
	return (uint64(us)*uint64(p.init.Timescales[track]) + 500_000) / 1_000_000
}

// periodStart formats a Period@start: PT0S, or seconds to the microsecond.
func periodStart(d time.Duration) string {
	if d <= 0 {
		return "PT0S"
	}
	us := d.Microseconds()
	return fmt.Sprintf("PT%d.%06dS", us/1e6, us%1e6)
}
