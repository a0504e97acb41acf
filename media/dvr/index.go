package dvr

import (
	"path/filepath"
	"slices"
	"sort"
	"sync/atomic"
	"time"
)

// entry is one record in the index and where its files are.
type entry struct {
	rec  Record
	disk *Disk
	dir  string // the hour directory
	base string // file name without extension
	cmaf []int64
}

func (e *entry) path(ext string) string { return filepath.Join(e.dir, e.base+ext) }

// index is a stream's records sorted by Start. Not safe for concurrent use:
// the Store guards it.
type index struct {
	list  []entry
	bytes int64         // sum of the records' sizes
	dur   time.Duration // sum of their durations

	// cached is ranges' last answer, dropped by every change. Readers
	// under the Store's read lock set it; changes hold its write lock.
	cached atomic.Pointer[[]Range]
}

func (x *index) add(r *Record, sign int64) {
	x.cached.Store(nil)
	x.bytes += sign * r.Size
	x.dur += time.Duration(sign) * r.Duration
}

// search returns the position of the first entry starting at or after t.
func (x *index) search(t time.Time) int {
	return sort.Search(len(x.list), func(i int) bool { return !x.list[i].rec.Start.Before(t) })
}

// find returns the entry starting exactly at t.
func (x *index) find(t time.Time) (*entry, bool) {
	i := x.search(t)
	if i < len(x.list) && x.list[i].rec.Start.Equal(t) {
		return &x.list[i], true
	}
	return nil, false
}

// insert adds e in Start order (replacing an entry with the same Start),
// marking it a Gap where its epoch or a jump in time sets it apart from
// the entry before it.
func (x *index) insert(e entry) {
	i := x.search(e.rec.Start)
	if i > 0 && apart(x.list[i-1].rec, e.rec) {
		e.rec.Gap = true
	}
	if i < len(x.list) && x.list[i].rec.Start.Equal(e.rec.Start) {
		x.add(&x.list[i].rec, -1)
		x.add(&e.rec, 1)
		x.list[i] = e
		return
	}
	x.add(&e.rec, 1)
	if i == len(x.list) {
		x.list = append(x.list, e)
		return
	}
	x.list = append(x.list, entry{})
	copy(x.list[i+1:], x.list[i:])
	x.list[i] = e
}

// apart reports whether next does not follow prev without interruption:
// another epoch, or more than half of prev's duration between them (that
// is, starts more than ~1.5 segment durations apart).
func apart(prev, next Record) bool {
	if prev.Epoch != next.Epoch {
		return true
	}
	d := next.Start.Sub(prev.End())
	return d > prev.Duration/2 || d < -prev.Duration/2
}

// records returns copies of the records overlapping [from, to).
func (x *index) records(from, to time.Time) []Record {
	i := x.search(from)
	if i > 0 && x.list[i-1].rec.End().After(from) {
		i--
	}
	var out []Record
	for ; i < len(x.list) && x.list[i].rec.Start.Before(to); i++ {
		out = append(out, x.list[i].rec)
	}
	return out
}

// ranges merges the records into stretches: a record that is apart (see
// apart, epochs aside) from the one before it starts a new range. The
// result is the caller's.
func (x *index) ranges() []Range {
	if p := x.cached.Load(); p != nil {
		return slices.Clone(*p)
	}
	out := x.merge()
	x.cached.Store(&out)
	return slices.Clone(out)
}

func (x *index) merge() []Range {
	var out []Range
	var end time.Time
	var prev *Record
	for i := range x.list {
		r := &x.list[i].rec
		if prev == nil || timeApart(*prev, *r) {
			if prev != nil {
				out[len(out)-1].Duration = end.Sub(out[len(out)-1].From)
			}
			out = append(out, Range{From: r.Start})
		}
		if r.End().After(end) {
			end = r.End()
		}
		prev = r
	}
	if prev != nil {
		out[len(out)-1].Duration = end.Sub(out[len(out)-1].From)
	}
	return out
}

// timeApart is apart without the epoch: a change of codec parameters
// does not split a range.
func timeApart(prev, next Record) bool {
	return next.Start.Sub(prev.End()) > prev.Duration/2
}

// removeFront drops the first n entries and returns them.
func (x *index) removeFront(n int) []entry {
	gone := append([]entry(nil), x.list[:n]...)
	for i := range gone {
		x.add(&gone[i].rec, -1)
	}
	clear(x.list[:n])
	x.list = x.list[n:]
	if cap(x.list) > 64 && len(x.list) < cap(x.list)/4 {
		x.list = append([]entry(nil), x.list...) // let the old array go
	}
	return gone
}

// removeIf drops the entries keep rejects, marks the entry after each
// removed stretch a Gap, and returns the removed ones.
func (x *index) removeIf(drop func(*entry) bool) []entry {
	var gone []entry
	kept := x.list[:0]
	cut := false
	for _, e := range x.list {
		if drop(&e) {
			gone = append(gone, e)
			x.add(&e.rec, -1)
			cut = true
			continue
		}
		if cut && len(kept) > 0 {
			e.rec.Gap = true
			x.cached.Store(nil)
		}
		cut = false
		kept = append(kept, e)
	}
	clear(x.list[len(kept):])
	x.list = kept
	return gone
}
