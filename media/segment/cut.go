package segment

import (
	"time"

	"streamhive/media"
)

// building is the segment in progress.
type building struct {
	seg     Segment // MSN, Init, DTS, ProgramDateTime, Discontinuity, DiscontinuitySeq
	parts   []*Part
	part    time.Duration // start of the part in progress
	partKey bool          // the part starts with a leading-track keyframe
}

// cutBefore finishes the part or the segment in progress when the leading
// track's frame f (at output dts) is due to start a new one. A segment is
// cut at a keyframe once its duration is reached (half a frame early, so
// that rounding in the source's timestamps does not cost a whole GOP); a
// part is cut where f would make it longer than PartDuration.
func (s *Segmenter) cutBefore(f *media.Frame, dts time.Duration) {
	b := s.seg
	if f.Keyframe && dts-b.seg.DTS+s.lead.delta/2 >= s.cfg.SegmentDuration {
		s.finishSegment(dts, false)
		s.startSegment(dts)
		return
	}
	if elapsed := dts - b.part; elapsed > 0 && elapsed+s.lead.delta > s.cfg.PartDuration+time.Millisecond {
		s.finishPart(dts, false)
		s.startPart(dts, f.Keyframe)
		s.publish()
	}
}

// startSegment opens segment nextMSN at output dts with a part.
func (s *Segmenter) startSegment(dts time.Duration) {
	if s.disc {
		s.discSeq++
	}
	b := &building{seg: Segment{
		MSN:              s.nextMSN,
		Init:             s.ep.init,
		DTS:              dts,
		ProgramDateTime:  s.anchor.Add(dts),
		Discontinuity:    s.disc,
		DiscontinuitySeq: s.discSeq,
		Resync:           s.resync,
	}}
	s.nextMSN++
	s.next.Store(s.nextMSN)
	s.disc, s.resync = false, false
	s.seg = b
	s.startPart(dts, true)
}

func (s *Segmenter) startPart(dts time.Duration, key bool) {
	b := s.seg
	b.part, b.partKey = dts, key
}

// finishPart closes the part in progress at output time end (the leading
// track's next DTS), encodes each track's fragment and appends the part to
// the segment. The leading track's pending sample is completed with its
// exact duration; another track's pending sample moves on to the next part
// (its duration is not known yet), unless final: then it is completed with
// an estimate; or unless it is another video track that started before
// end: then it ends at end, like the leading track. So every track's timeline runs without gaps, and an audio
// fragment may end up to one frame before its part's TS counterpart.
func (s *Segmenter) finishPart(end time.Duration, final bool) {
	b, ep := s.seg, s.ep
	p := &Part{
		Index:       len(b.parts),
		DTS:         b.part,
		Duration:    end - b.part,
		Independent: b.partKey,
		CMAF:        make([][]byte, len(ep.tracks)),
		Spans:       make([]Span, len(ep.tracks)),
	}
	for i := range ep.tracks {
		t := &ep.tracks[i]
		switch {
		case i == ep.lead:
			t.flush(toUnits(end, t.timescale))
		case final:
			t.flush(-1)
		case t.video:
			// Another video track: a transcoder's rendition, whose
			// keyframes fall with the leading track's. Its pending
			// sample ends where the part does, so that its next part
			// (and segment) starts with its own keyframe, not with
			// the previous GOP's last picture.
			t.flushBefore(toUnits(end, t.timescale))
		}
		cmaf, span := t.frag.encode(t.seq, t.timescale, t.video)
		if span.Samples > 0 {
			t.seq++
		}
		p.CMAF[i], p.Spans[i] = cmaf, span
	}
	s.countTS(p)
	b.parts = append(b.parts, p)
}

// finishSegment closes the segment in progress, if any, at output time end,
// adds it to the window and publishes. final says that no frame follows in
// this timeline (see finishPart).
func (s *Segmenter) finishSegment(end time.Duration, final bool) {
	b := s.seg
	if b == nil {
		return
	}
	if end > b.part || len(b.parts) == 0 {
		s.finishPart(end, final)
	}
	s.seg = nil
	seg := b.seg
	seg.Duration = end - seg.DTS
	seg.Parts = b.parts[:len(b.parts):len(b.parts)]
	for _, p := range seg.Parts {
		seg.tsLen += p.tsLen
	}
	seg.tsKey = tsKeys.Add(1)
	seg.Spans = make([]Span, len(s.ep.tracks))
	for i := range s.ep.tracks {
		seg.Spans[i] = sumSpans(b.parts, i)
	}
	store(&seg, len(s.ep.tracks)) // store.go
	s.done = append(s.done, &seg)
	if n := len(s.done) - s.cfg.WindowSegments; n > 0 {
		clear(s.done[:n])
		s.done = s.done[n:]
	}
	if s.cfg.OnSegment != nil {
		s.cfg.OnSegment(&seg)
	}
	s.publish()
}

// countTS notes where part p's MPEG-TS starts and how long it is, running
// the epoch's counting muxer over the fragments just made: the bytes are
// made only when someone asks (Part.MPEGTS).
func (s *Segmenter) countTS(p *Part) {
	m := s.ep.ts
	p.init, p.tsFrom, m.size = s.ep.init, m.state(), 0
	if bad := m.muxPart(s.ep.init, p.CMAF, p.Index == 0); bad > 0 {
		s.errs.Add(uint64(bad))
	}
	p.tsLen, p.tsKey = m.size, tsKeys.Add(1)
}

// sumSpans joins track i's spans over parts.
func sumSpans(parts []*Part, i int) Span {
	var sp Span
	for _, p := range parts {
		x := p.Spans[i]
		sp.Timescale = x.Timescale
		if x.Samples == 0 {
			continue
		}
		if sp.Samples == 0 {
			sp.Base = x.Base
		}
		sp.Length = x.Base + x.Length - sp.Base
		sp.Samples += x.Samples
	}
	return sp
}
