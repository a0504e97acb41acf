// Package archivetest is an in-memory dvr.Archive for tests of archive
// readers (media/dvr/export, gateway/play). Its records are real: the
// embedded clip of media/mediatest run through media/segment's Segmenter,
// so their TS and CMAF decode. Test code only.
package archivetest

import (
	"fmt"
	"slices"
	"sync"
	"time"

	"streamhive/media"
	"streamhive/media/dvr"
	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

// Archive is a dvr.Archive held in memory. It is safe for concurrent use.
type Archive struct {
	mu      sync.RWMutex
	entries []entry // by Start
	inits   map[int]*dvr.Init
	epochs  map[*segment.Init]int
}

type entry struct {
	rec  dvr.Record
	ts   []byte
	cmaf [][]byte
}

// New returns an empty archive.
func New() *Archive {
	return &Archive{inits: map[int]*dvr.Init{}, epochs: map[*segment.Init]int{}}
}

// Record appends d of the looped clip recorded from wall clock start, as
// one run of a fresh segmenter (one server run): its first record is a
// Gap unless the archive is empty. tracks replaces the clip's tracks
// (for a codec change); nil keeps them. start must be after the newest
// record's end.
func (a *Archive) Record(clip *mediatest.Clip, tracks []media.Track, start time.Time, d time.Duration) error {
	if tracks == nil {
		tracks = clip.Tracks
	}
	var segs []*segment.Segment
	sg := segment.New(segment.Config{
		Now:       func() time.Time { return start },
		OnSegment: func(s *segment.Segment) { segs = append(segs, s) },
	})
	if err := sg.SetTracks(tracks); err != nil {
		return err
	}
	for _, f := range clip.Loop(d) {
		if f.DTS < d {
			sg.WriteFrame(f)
		}
	}
	sg.Close()
	if len(segs) == 0 {
		return fmt.Errorf("archivetest: %s of clip made no segment", d)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, s := range segs {
		e := entry{ts: s.MPEGTS(), cmaf: s.CMAF}
		e.rec = dvr.Record{
			Start: s.ProgramDateTime.UTC(), Duration: s.Duration, DTS: s.DTS,
			Epoch: a.epoch(s.Init), Gap: s.Discontinuity || (i == 0 && len(a.entries) > 0),
			Spans: s.Spans, Keyframe: true, Size: int64(len(e.ts)),
		}
		for _, c := range s.CMAF {
			e.rec.Size += int64(len(c))
		}
		a.entries = append(a.entries, e)
	}
	return nil
}

// epoch numbers a segment.Init, registering its dvr.Init.
func (a *Archive) epoch(in *segment.Init) int {
	if n, ok := a.epochs[in]; ok {
		return n
	}
	n := len(a.epochs)
	a.epochs[in] = n
	a.inits[n] = &dvr.Init{Tracks: in.Tracks, CMAF: in.CMAF, Timescales: in.Timescales}
	return n
}

// Delete removes the records starting in [from, to), as retention or a
// DELETE of a range would; the record after them becomes a Gap.
func (a *Archive) Delete(from, to time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := len(a.entries)
	a.entries = slices.DeleteFunc(a.entries, func(e entry) bool {
		return !e.rec.Start.Before(from) && e.rec.Start.Before(to)
	})
	if len(a.entries) == n {
		return
	}
	for i := range a.entries {
		if !a.entries[i].rec.Start.Before(to) {
			a.entries[i].rec.Gap = i > 0
			break
		}
	}
}

// Newest returns the newest record; false when the archive is empty.
func (a *Archive) Newest() (dvr.Record, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if len(a.entries) == 0 {
		return dvr.Record{}, false
	}
	return a.entries[len(a.entries)-1].rec, true
}

// Ranges implements dvr.Archive.
func (a *Archive) Ranges() []dvr.Range {
	a.mu.RLock()
	defer a.mu.RUnlock()
	var out []dvr.Range
	for _, e := range a.entries {
		if n := len(out); n > 0 && !e.rec.Gap {
			out[n-1].Duration = e.rec.End().Sub(out[n-1].From)
			continue
		}
		out = append(out, dvr.Range{From: e.rec.Start, Duration: e.rec.Duration})
	}
	return out
}

// Records implements dvr.Archive.
func (a *Archive) Records(from, to time.Time) []dvr.Record {
	a.mu.RLock()
	defer a.mu.RUnlock()
	var out []dvr.Record
	for _, e := range a.entries {
		if e.rec.Start.Before(to) && e.rec.End().After(from) {
			out = append(out, e.rec)
		}
	}
	return out
}

// find returns the entry of rec.
func (a *Archive) find(rec dvr.Record) (entry, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	i, ok := slices.BinarySearchFunc(a.entries, rec.Start, func(e entry, t time.Time) int { return e.rec.Start.Compare(t) })
	if !ok {
		return entry{}, fmt.Errorf("archivetest: record at %s: %w", rec.Start, dvr.ErrGone)
	}
	return a.entries[i], nil
}

// ReadTS implements dvr.Archive.
func (a *Archive) ReadTS(rec dvr.Record) ([]byte, error) {
	e, err := a.find(rec)
	return e.ts, err
}

// ReadCMAF implements dvr.Archive.
func (a *Archive) ReadCMAF(rec dvr.Record) ([][]byte, error) {
	e, err := a.find(rec)
	return e.cmaf, err
}

// Init implements dvr.Archive.
func (a *Archive) Init(rec dvr.Record) (*dvr.Init, error) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	in, ok := a.inits[rec.Epoch]
	if !ok {
		return nil, fmt.Errorf("archivetest: epoch %d: %w", rec.Epoch, dvr.ErrGone)
	}
	return in, nil
}

var _ dvr.Archive = (*Archive)(nil)
