package peer

import (
	"sort"
	"testing"
	"time"

	"streamhive/media/dvr"
	"streamhive/media/dvr/remote"
)

// listOnly is an archive of n contiguous one-second records with no
// bytes: enough for the list's paging.
type listOnly struct{ recs []dvr.Record }

func newListOnly(n int) *listOnly {
	a := &listOnly{}
	for i := range n {
		a.recs = append(a.recs, dvr.Record{Start: t0.Add(time.Duration(i) * time.Second), Duration: time.Second, Gap: i == 0})
	}
	return a
}

func (a *listOnly) Ranges() []dvr.Range {
	return []dvr.Range{{From: t0, Duration: time.Duration(len(a.recs)) * time.Second}}
}

func (a *listOnly) Records(from, to time.Time) []dvr.Record {
	i := sort.Search(len(a.recs), func(i int) bool { return a.recs[i].End().After(from) })
	j := sort.Search(len(a.recs), func(i int) bool { return !a.recs[i].Start.Before(to) })
	return append([]dvr.Record(nil), a.recs[i:max(i, j)]...)
}

func (a *listOnly) ReadTS(dvr.Record) ([]byte, error)     { return nil, dvr.ErrGone }
func (a *listOnly) ReadCMAF(dvr.Record) ([][]byte, error) { return nil, dvr.ErrGone }
func (a *listOnly) Init(dvr.Record) (*dvr.Init, error)    { return nil, dvr.ErrGone }

// TestRemotePages: an archive longer than a page (and than the owner's
// index window) arrives whole, every record once and in order.
func TestRemotePages(t *testing.T) {
	t.Parallel()
	n := 2*remote.MaxPageRecords + 500
	r := reader(t, owner(t, newListOnly(n)), testKey)
	recs := r.Records(everything[0], t0.Add(24*time.Hour))
	if len(recs) != n {
		t.Fatalf("%d records, want %d", len(recs), n)
	}
	for i, rec := range recs {
		if !rec.Start.Equal(t0.Add(time.Duration(i) * time.Second)) {
			t.Fatalf("record %d at %s", i, rec.Start)
		}
	}
}
