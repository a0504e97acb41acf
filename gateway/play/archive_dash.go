package play

import (
	"fmt"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media"
	"streamhive/media/codec"
	"streamhive/media/drm"
	"streamhive/media/dvr"
)

// mpdTimeLayout is xs:dateTime in UTC with milliseconds.
const mpdTimeLayout = "2006-01-02T15:04:05.000Z"

// serveArchiveMPD answers an archive DASH manifest: static for a fixed
// range, dynamic for rewind-N and FROM-now.
func (h *Handler) serveArchiveMPD(rc *fasthttp.RequestCtx, a dvr.Archive, r route, g grant) {
	now := time.Now()
	w, location := r.arc.win, ""
	if w.mode == winAbs {
		// timeshift_abs-FROM is the timeshift_rel that starts at FROM now;
		// the player reloads that one (Location), whose delay stays put.
		end, ok := edge(a)
		if !ok {
			h.archiveFailed(rc, r.name, errNoRecording)
			return
		}
		w = relOf(w, end)
		location = w.spec() + ".mpd"
		if q := g.xml(); q != "" {
			location += "?" + q
		}
	}
	p, err := place(a, w, time.Time{}, now)
	if err != nil {
		h.archiveFailed(rc, r.name, err)
		return
	}
	runs := gapRuns(p.recs)
	protected := false
	if prot, ok := h.protection(r.name); ok {
		protected = true
		if runs, err = keyRuns(p.recs, archiveRotation(prot, licenseBase(rc), r.name, g.m3u8())); err != nil {
			h.sealFailed(rc, r.name, err)
			return
		}
	}
	b, err := renderArchiveMPD(a, p, runs, mpdHead{w: w, now: now, location: location, protected: protected})
	if err != nil {
		h.archiveFailed(rc, r.name, err)
		return
	}
	writeBody(rc, typeMPD, cacheNone, withMPDQuery(b, g.xml()))
}

// mpdHead is what an archive MPD's root says besides its records.
type mpdHead struct {
	w         window
	now       time.Time
	location  string // the MPD's Location (relative, escaped), or ""
	protected bool   // declares the namespaces of ContentProtection
}

// renderArchiveMPD renders a placed window as an MPD: one Period per run
// (gapRuns: a gap or an epoch change starts a new Period, whose start is
// the wall-clock time of its first record, so the gap is a jump on the
// timeline, not invented media; keyRuns: a key change too). A dynamic MPD's
// availabilityStartTime is the Unix epoch and its Periods start at their
// Unix times: the anchor never moves as the window slides, and a segment
// becomes available when its last frame was recorded; for a timeshift_rel
// window, that much later (availabilityStartTime is the epoch plus the
// delay).
func renderArchiveMPD(a dvr.Archive, p placed, runs []archiveRun, head mpdHead) ([]byte, error) {
	w, now, location := head.w, head.now, head.location
	ns := ""
	if head.protected {
		ns = drm.DASHNamespaces
	}
	first, last := p.recs[0], p.recs[len(p.recs)-1]
	var longest time.Duration
	for _, r := range p.recs {
		longest = max(longest, r.Duration)
	}
	target := max(longest, time.Second)
	b := &strings.Builder{}
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	origin := first.Start
	if p.typ == typeVOD {
		fmt.Fprintf(b, `<MPD xmlns="urn:mpeg:dash:schema:mpd:2011"%s profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static"`+
			` mediaPresentationDuration="%s" minBufferTime="%s" maxSegmentDuration="%s">`+"\n", ns,
			xsDuration(last.End().Sub(first.Start)), xsDuration(target), xsDuration(longest))
	} else {
		origin = time.Unix(0, 0)
		ast := origin
		depth := last.End().Sub(first.Start)
		switch w.mode {
		case winRewind:
			depth = secsDur(w.secs)
		case winRel:
			ast = origin.Add(secsDur(w.secs))
		default:
		}
		fmt.Fprintf(b, `<MPD xmlns="urn:mpeg:dash:schema:mpd:2011"%s profiles="urn:mpeg:dash:profile:isoff-live:2011" type="dynamic"`+
			` availabilityStartTime="%s" publishTime="%s" minimumUpdatePeriod="%s" minBufferTime="%s"`+
			` timeShiftBufferDepth="%s" suggestedPresentationDelay="%s" maxSegmentDuration="%s">`+"\n", ns,
			ast.UTC().Format(mpdTimeLayout), now.UTC().Format(mpdTimeLayout), xsDuration(target), xsDuration(target),
			xsDuration(depth), xsDuration(3*target), xsDuration(longest))
	}
	if location != "" {
		fmt.Fprintf(b, "  <Location>%s</Location>\n", location)
	}
	for _, run := range runs {
		if err := archivePeriod(b, a, run, origin); err != nil {
			return nil, err
		}
	}
	if p.typ != typeVOD {
		fmt.Fprintf(b, "  <UTCTiming schemeIdUri=\"urn:mpeg:dash:utc:direct:2014\" value=\"%s\"/>\n", now.UTC().Format(mpdTimeLayout))
	}
	b.WriteString("</MPD>\n")
	return []byte(b.String()), nil
}

// gapRuns splits recs before every gap.
func gapRuns(recs []dvr.Record) []archiveRun {
	var out []archiveRun
	lo := 0
	for i := 1; i <= len(recs); i++ {
		if i == len(recs) || recs[i].Gap {
			out = append(out, archiveRun{recs: recs[lo:i]})
			lo = i
		}
	}
	return out
}

// archivePeriod writes one Period: an AdaptationSet per track of its
// epoch, each with a SegmentTemplate addressing fragments by $Time$
// (dvr-P-$Time$.tT.m4s, P naming the period's first record) and a
// SegmentTimeline of the records' spans.
func archivePeriod(b *strings.Builder, a dvr.Archive, ar archiveRun, origin time.Time) error {
	run := ar.recs
	first := run[0]
	in, err := a.Init(first)
	if err != nil {
		return err
	}
	ms := first.Start.UnixMilli()
	var dur time.Duration
	for _, r := range run {
		dur += r.Duration
	}
	peak, _ := recordRates(run)
	fmt.Fprintf(b, "  <Period id=\"%d\" start=\"%s\" duration=\"%s\">\n", ms, xsDuration(first.Start.Sub(origin)), xsDuration(dur))
	for _, t := range in.Tracks {
		if err := archiveAdaptation(b, in, t, ar, ms, peak); err != nil {
			return err
		}
	}
	b.WriteString("  </Period>\n")
	return nil
}

func archiveAdaptation(b *strings.Builder, in *dvr.Init, t media.Track, ar archiveRun, ms int64, peak int) error {
	run := ar.recs
	codecs, err := codec.String(t)
	if err != nil {
		return err
	}
	ts := in.Timescales[t.ID]
	kind := t.Codec.Kind()
	fmt.Fprintf(b, "    <AdaptationSet id=\"%d\" contentType=\"%s\" mimeType=\"%s/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\">\n", t.ID, kind, kind)
	b.WriteString(ar.descriptors)
	fmt.Fprintf(b, "      <SegmentTemplate timescale=\"%d\" initialization=\"dvr-dash-init-%d.t%d.mp4\" media=\"dvr-%d-$Time$.t%d.m4s\" presentationTimeOffset=\"%d\">\n",
		ts, ms, t.ID, ms, t.ID, durationUnits(run[0].DTS, ts))
	archiveTimeline(b, run, t.ID)
	b.WriteString("      </SegmentTemplate>\n")
	fmt.Fprintf(b, "      <Representation id=\"%d\" codecs=\"%s\" bandwidth=\"%d\"", t.ID, codecs, peak)
	if kind == media.KindVideo {
		fmt.Fprintf(b, " width=\"%d\" height=\"%d\"/>\n", t.Width, t.Height)
	} else {
		fmt.Fprintf(b, " audioSamplingRate=\"%d\">\n", ts)
		fmt.Fprintf(b, "        <AudioChannelConfiguration schemeIdUri=\"urn:mpeg:dash:23003:3:audio_channel_configuration:2011\" value=\"%d\"/>\n", max(t.Channels, 1))
		b.WriteString("      </Representation>\n")
	}
	b.WriteString("    </AdaptationSet>\n")
	return nil
}

// archiveTimeline writes the SegmentTimeline of one track from the
// records' spans. An entry lasts until the next one starts when they are
// contiguous; runs of equal durations fold into @r; an entry after a hole
// (a record without the track's samples) carries its own @t.
func archiveTimeline(b *strings.Builder, run []dvr.Record, track int) {
	b.WriteString("        <SegmentTimeline>\n")
	var spans [][2]uint64 // base, length
	for _, r := range run {
		if track < len(r.Spans) && r.Spans[track].Samples > 0 {
			spans = append(spans, [2]uint64{r.Spans[track].Base, r.Spans[track].Length})
		}
	}
	var t, d uint64
	repeat := -1
	next := uint64(0) // where the previous entry ended
	flush := func() {
		if repeat < 0 {
			return
		}
		fmt.Fprintf(b, "          <S t=\"%d\" d=\"%d\"", t, d)
		if repeat > 0 {
			fmt.Fprintf(b, " r=\"%d\"", repeat)
		}
		b.WriteString("/>\n")
	}
	for i, s := range spans {
		dur := s[1]
		if i+1 < len(spans) && spans[i+1][0] > s[0] && spans[i+1][0]-s[0] < 2*s[1]+1 {
			dur = spans[i+1][0] - s[0]
		}
		if repeat >= 0 && s[0] == next && dur == d {
			repeat++
			next += dur
			continue
		}
		flush()
		t, d, repeat, next = s[0], dur, 0, s[0]+dur
	}
	flush()
	b.WriteString("        </SegmentTimeline>\n")
}

// durationUnits converts d (>= 0) to units of timescale ts.
func durationUnits(d time.Duration, ts uint32) uint64 {
	if d <= 0 {
		return 0
	}
	return uint64(d/time.Second)*uint64(ts) + uint64(d%time.Second)*uint64(ts)/uint64(time.Second)
}

// xsDuration formats d as an xs:duration in seconds with milliseconds.
func xsDuration(d time.Duration) string {
	return fmt.Sprintf("PT%.3fS", d.Seconds())
}
