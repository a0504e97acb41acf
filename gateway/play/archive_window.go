package play

import (
	"time"

	"streamhive/media/dvr"
)

// playlistType is how a window's playlist behaves for a player.
type playlistType int

const (
	typeVOD   playlistType = iota // fixed: EXT-X-PLAYLIST-TYPE:VOD, ENDLIST; a static MPD
	typeEvent                     // grows at its end: EXT-X-PLAYLIST-TYPE:EVENT
	typeLive                      // slides: a live playlist; a dynamic MPD
)

// liveRecords is how many records a timeshift_rel playlist lists: the
// live window's length (segment.DefaultWindowSegments).
const liveRecords = 6

// maxLiveLookback bounds how far before its end a timeshift_rel window
// looks for its records: several windows of long segments.
const maxLiveLookback = 2 * time.Minute

// placed is a window placed on the archive at one moment: the records a
// playlist lists and how a player numbers them.
type placed struct {
	recs []dvr.Record // oldest first; never empty
	typ  playlistType
	// seq is the media sequence number of recs[0] and disc the
	// discontinuity sequence before it. Both count records from anchor, a
	// time that stays put while the window slides (the window's own start
	// for fixed windows, the `a` query parameter for sliding ones), so a
	// reloading player sees the same numbers for the same records.
	seq, disc uint64
	anchor    time.Time
}

// edge returns the end of the archive's newest range (the archive's live
// edge); false when the archive is empty.
func edge(a dvr.Archive) (time.Time, bool) {
	rs := a.Ranges()
	if len(rs) == 0 {
		return time.Time{}, false
	}
	last := rs[len(rs)-1]
	return last.From.Add(last.Duration), true
}

// place resolves w on a at now. anchor is the `a` query parameter of a
// sliding window (zero when absent: the window's start then, which numbers
// correctly for a single read only). timeshift_abs is placed as the
// timeshift_rel it starts (see relOf).
func place(a dvr.Archive, w window, anchor time.Time, now time.Time) (placed, error) {
	switch w.mode {
	case winRange:
		from := unix(w.from)
		return placeFixed(a, from, from.Add(secsDur(w.secs)), typeVOD)
	case winEvent:
		return placeFixed(a, unix(w.from), now.Add(time.Hour), typeEvent)
	case winAbs, winRel, winRewind: // sliding: placed below
	}
	end, ok := edge(a)
	if !ok {
		return placed{}, errNoRecording
	}
	if w.mode == winAbs {
		w = relOf(w, end)
	}
	var start, stop time.Time
	if w.mode == winRewind {
		start, stop = end.Add(-secsDur(w.secs)), end
	} else {
		stop = end.Add(-secsDur(w.secs))
		start = stop.Add(-maxLiveLookback)
	}
	if anchor.IsZero() || anchor.After(start) {
		anchor = start
	}
	all := a.Records(anchor, stop)
	for len(all) > 0 && all[0].Start.Before(anchor) { // numbering starts at the anchor
		all = all[1:]
	}
	lo := 0
	for lo < len(all) && all[lo].Start.Before(start) {
		lo++
	}
	hi := len(all)
	if w.mode == winRel { // the last liveRecords that have ended by stop
		for hi > lo && all[hi-1].End().After(stop) {
			hi--
		}
		lo = max(lo, hi-liveRecords)
	}
	if lo >= hi {
		return placed{}, errNoRecording
	}
	return numbered(all, lo, hi, typeLive, anchor), nil
}

// placeFixed places a window with a fixed start: records starting in
// [from, to) (Flussonic: the first segment does not start before FROM, the
// last not after FROM+DURATION), numbered from 0.
func placeFixed(a dvr.Archive, from, to time.Time, typ playlistType) (placed, error) {
	all := a.Records(from, to)
	lo := 0
	for lo < len(all) && all[lo].Start.Before(from) {
		lo++
	}
	if lo == len(all) {
		return placed{}, errNoRecording
	}
	return numbered(all, lo, len(all), typ, from), nil
}

// numbered returns all[lo:hi] numbered from all[0]: the media sequence
// is the index, the discontinuity sequence the gaps after all[0] up to and
// including all[lo] (the number all[lo] had when its tag was written).
func numbered(all []dvr.Record, lo, hi int, typ playlistType, anchor time.Time) placed {
	p := placed{recs: all[lo:hi], typ: typ, seq: uint64(lo), anchor: anchor}
	for i := 1; i <= lo; i++ {
		if all[i].Gap {
			p.disc++
		}
	}
	return p
}

// relOf turns timeshift_abs-FROM into the timeshift_rel that starts at
// FROM now: a delay of the archive's edge less FROM, at least a second.
func relOf(w window, end time.Time) window {
	d := int64(end.Sub(unix(w.from)) / time.Second)
	return window{mode: winRel, secs: max(d, 1)}
}
