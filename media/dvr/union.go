package dvr

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// Part is one node's recording of a stream, as a Union merges it.
type Part struct {
	// Name tells the parts apart for the Union's whole life (a cluster
	// member's ID: fresh at each process start, so a restarted node is a
	// new part). The Union's epochs and reads are keyed by it.
	Name    string
	Archive Archive
}

// Union is one archive made of several (a `cluster_ingest` stream whose
// capture moved between nodes: each recorded what it captured). It
// implements Archive:
//
//   - Records merges the parts' records by time. Where two parts recorded
//     the same time (both captured during a partition), one record is kept
//     per time: the part being played keeps it as long as its records
//     follow on (see apart), and another part's record that starts more
//     than half its duration before the kept time ends is dropped, so the
//     archive changes node once per stretch, where the first node stops.
//     Ties go to the part listed first.
//   - A record whose part differs from the record before it is a Gap, and
//     its Epoch is the Union's own number for (part, epoch): every
//     renderer sees a discontinuity and a new init segment where the node
//     changes (the nodes' timelines and init segments are unrelated).
//   - Ranges are the parts' ranges joined where they overlap or where the
//     gap between them is within the gap rule (half the duration of the
//     record before it).
//   - Read* and Init go to the part the record came from, with its own
//     epoch; a part that is gone (a member that left) reads as ErrGone.
//
// Safe for concurrent use. Parts are read at every call, so members come
// and go without a new Union.
type Union struct {
	parts func() []Part

	mu     sync.Mutex
	epochs map[partEpoch]int
	back   []partEpoch // by Union epoch
}

// partEpoch is an epoch of one part.
type partEpoch struct {
	part  string
	epoch int
}

// NewUnion returns the union of the parts that parts returns at each
// call (this node's own archive first, so ties go to it).
func NewUnion(parts func() []Part) *Union {
	return &Union{parts: parts, epochs: map[partEpoch]int{}}
}

var _ Archive = (*Union)(nil)

// tagged is a record of part i with its part's own epoch.
type tagged struct {
	rec  Record
	part int
}

// lookback is how far before a window Records looks to choose, as the
// window's first record, the node that a wider window would show there: a
// minute of records settles which node holds the time (records last
// seconds).
const lookback = time.Minute

// Records implements Archive.
func (u *Union) Records(from, to time.Time) []Record {
	ps := u.parts()
	lists := make([][]Record, len(ps))
	for i, p := range ps {
		lists[i] = p.Archive.Records(from.Add(-lookback), to)
	}
	picked := pick(lists)
	out := make([]Record, 0, len(picked))
	for i, t := range picked {
		r := t.rec
		if i > 0 && picked[i-1].part != t.part {
			r.Gap = true
		}
		if !r.End().After(from) {
			continue
		}
		r.Epoch = u.epochOf(partEpoch{ps[t.part].Name, r.Epoch})
		out = append(out, r)
	}
	return out
}

// pick merges the parts' lists (each by Start) into one record per time:
// see Union. lists are consumed.
func pick(lists [][]Record) []tagged {
	var out []tagged
	cur := -1
	var end time.Time
	for {
		for i := range lists { // drop what overlaps the kept time
			for len(lists[i]) > 0 && !end.IsZero() && overlaps(end, lists[i][0]) {
				lists[i] = lists[i][1:]
			}
		}
		next := -1
		if cur >= 0 && len(lists[cur]) > 0 && !timeApartFrom(end, lists[cur][0]) {
			next = cur // the part being played goes on
		} else {
			for i := range lists {
				if len(lists[i]) > 0 && (next < 0 || lists[i][0].Start.Before(lists[next][0].Start)) {
					next = i
				}
			}
		}
		if next < 0 {
			return out
		}
		r := lists[next][0]
		lists[next] = lists[next][1:]
		out = append(out, tagged{rec: r, part: next})
		cur, end = next, laterOf(end, r.End())
	}
}

// overlaps reports whether more than half of r lies before end.
func overlaps(end time.Time, r Record) bool {
	return end.Sub(r.Start) > r.Duration/2
}

// timeApartFrom reports whether r starts more than half its duration
// after end: it does not follow on.
func timeApartFrom(end time.Time, r Record) bool {
	return r.Start.Sub(end) > r.Duration/2
}

func laterOf(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// epochOf returns the Union's epoch for a part's epoch, numbering it on
// first sight. Numbers are never reused: a record listed once keeps
// reading through its number.
func (u *Union) epochOf(pe partEpoch) int {
	u.mu.Lock()
	defer u.mu.Unlock()
	if n, ok := u.epochs[pe]; ok {
		return n
	}
	n := len(u.back)
	u.epochs[pe] = n
	u.back = append(u.back, pe)
	return n
}

// source returns the part rec came from and rec with the part's epoch.
func (u *Union) source(rec Record) (Archive, Record, error) {
	u.mu.Lock()
	ok := rec.Epoch >= 0 && rec.Epoch < len(u.back)
	var pe partEpoch
	if ok {
		pe = u.back[rec.Epoch]
	}
	u.mu.Unlock()
	if !ok {
		return nil, Record{}, fmt.Errorf("%w: epoch %d", ErrGone, rec.Epoch)
	}
	for _, p := range u.parts() {
		if p.Name == pe.part {
			rec.Epoch = pe.epoch
			return p.Archive, rec, nil
		}
	}
	return nil, Record{}, fmt.Errorf("%w: node %s left", ErrGone, pe.part)
}

// ReadTS implements Archive.
func (u *Union) ReadTS(rec Record) ([]byte, error) {
	a, r, err := u.source(rec)
	if err != nil {
		return nil, err
	}
	return a.ReadTS(r)
}

// ReadCMAF implements Archive.
func (u *Union) ReadCMAF(rec Record) ([][]byte, error) {
	a, r, err := u.source(rec)
	if err != nil {
		return nil, err
	}
	return a.ReadCMAF(r)
}

// Init implements Archive.
func (u *Union) Init(rec Record) (*Init, error) {
	a, r, err := u.source(rec)
	if err != nil {
		return nil, err
	}
	return a.Init(r)
}

// Ranges implements Archive.
func (u *Union) Ranges() []Range {
	type owned struct {
		Range
		part int
	}
	ps := u.parts()
	var all []owned
	for i, p := range ps {
		for _, r := range p.Archive.Ranges() {
			all = append(all, owned{r, i})
		}
	}
	slices.SortStableFunc(all, func(a, b owned) int { return a.From.Compare(b.From) })
	var out []Range
	endPart := -1
	for _, r := range all {
		end := r.From.Add(r.Duration)
		if n := len(out); n > 0 {
			last := &out[n-1]
			lastEnd := last.From.Add(last.Duration)
			// A part's own ranges are apart already by the same rule.
			if !r.From.After(lastEnd) || (r.part != endPart && r.From.Sub(lastEnd) <= lastRecordBefore(ps[endPart].Archive, lastEnd)/2) {
				if end.After(lastEnd) {
					last.Duration, endPart = end.Sub(last.From), r.part
				}
				continue
			}
		}
		out = append(out, r.Range)
		endPart = r.part
	}
	return out
}

// lastRecordBefore returns the duration of a's record ending at end (zero
// when it has none: the ranges then join only where they touch).
func lastRecordBefore(a Archive, end time.Time) time.Duration {
	recs := a.Records(end.Add(-time.Nanosecond), end)
	if len(recs) == 0 {
		return 0
	}
	return recs[len(recs)-1].Duration
}
