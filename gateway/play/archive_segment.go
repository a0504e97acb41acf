package play

import (
	"fmt"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media"
	"streamhive/media/dvr"
	"streamhive/media/hls"
)

// dashLookaround bounds the search for a DASH $Time$ fragment around the
// wall clock its decode time suggests: within one run of the segmenter
// Record.Start - Record.DTS is constant, so this only absorbs a store
// that stamps starts with its own clock.
const dashLookaround = time.Minute

// serveArchiveSegment answers an archived segment, CMAF fragment or init
// segment. They never change, so they are cacheable.
func (h *Handler) serveArchiveSegment(rc *fasthttp.RequestCtx, a dvr.Archive, r route) {
	rec, err := findArchived(a, r.arc)
	if err != nil {
		h.archiveFailed(rc, r.name, err)
		return
	}
	switch {
	case r.arc.kind == arcInit:
		in, err := a.Init(rec)
		if err != nil {
			h.archiveFailed(rc, r.name, err)
			return
		}
		if r.arc.track >= len(in.CMAF) || len(in.CMAF[r.arc.track]) == 0 {
			writeError(rc, fasthttp.StatusNotFound, codeNotFound, "no such init segment")
			return
		}
		typ := typeVideoMP
		if in.Tracks[r.arc.track].Codec.Kind() == media.KindAudio {
			typ = typeAudioMP
		}
		b := in.CMAF[r.arc.track]
		if prot, ok := h.protection(r.name); ok {
			at, err := initTime(rc, rec)
			if err != nil {
				writeError(rc, fasthttp.StatusBadRequest, codeBadReload, err.Error())
				return
			}
			if b, err = sealArchiveCMAF(r.arc, prot, at, b, nil); err != nil {
				h.sealFailed(rc, r.name, err)
				return
			}
		}
		writeBody(rc, typ, cacheSegment, b)
	case r.arc.format == hls.TS:
		b, err := a.ReadTS(rec)
		if err != nil {
			h.archiveFailed(rc, r.name, err)
			return
		}
		if prot, ok := h.protection(r.name); ok {
			if b, err = sealArchiveTS(rec, prot.Keys, b); err != nil {
				h.sealFailed(rc, r.name, err)
				return
			}
		}
		writeBody(rc, typeTS, cacheSegment, b)
	default:
		frags, err := a.ReadCMAF(rec)
		if err != nil {
			h.archiveFailed(rc, r.name, err)
			return
		}
		if r.arc.track >= len(frags) || len(frags[r.arc.track]) == 0 {
			writeError(rc, fasthttp.StatusNotFound, codeNotFound, "no such segment")
			return
		}
		b := frags[r.arc.track]
		if prot, ok := h.protection(r.name); ok {
			if b, err = h.sealArchiveFragment(r.arc, prot, a, rec, b); err != nil {
				h.sealFailed(rc, r.name, err)
				return
			}
		}
		writeBody(rc, typeSegment, cacheSegment, b)
	}
}

// findArchived returns the record a segment name refers to.
func findArchived(a dvr.Archive, r archiveRoute) (dvr.Record, error) {
	rec, ok := recordAt(a, r.ms)
	if !ok {
		return dvr.Record{}, fmt.Errorf("%w: no record starts at %d ms", errNoRecording, r.ms)
	}
	if r.kind != arcDASHSeg {
		return rec, nil
	}
	return dashRecord(a, rec, r.track, r.time)
}

// recordAt returns the record starting at Unix millisecond ms.
func recordAt(a dvr.Archive, ms int64) (dvr.Record, bool) {
	t := time.UnixMilli(ms)
	for _, rec := range a.Records(t, t.Add(time.Millisecond)) {
		if rec.Start.UnixMilli() == ms {
			return rec, true
		}
	}
	return dvr.Record{}, false
}

// dashRecord finds the record of period opener p whose fragment of track
// starts at decode time base: the DASH $Time$.
func dashRecord(a dvr.Archive, p dvr.Record, track int, base uint64) (dvr.Record, error) {
	if track >= len(p.Spans) || p.Spans[track].Timescale == 0 {
		return dvr.Record{}, fmt.Errorf("%w: track %d", errNoTrackHere, track)
	}
	ts := p.Spans[track].Timescale
	at := time.Duration(base/uint64(ts))*time.Second + time.Duration(base%uint64(ts))*time.Second/time.Duration(ts)
	wall := p.Start.Add(at - p.DTS)
	for _, rec := range a.Records(wall.Add(-dashLookaround), wall.Add(dashLookaround)) {
		if rec.Epoch == p.Epoch && track < len(rec.Spans) && rec.Spans[track].Base == base && rec.Spans[track].Samples > 0 {
			return rec, nil
		}
	}
	return dvr.Record{}, fmt.Errorf("%w: no fragment of track %d at %d", errNoRecording, track, base)
}
