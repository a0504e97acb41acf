package dvr_test

import (
	"bytes"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/media/dvr"
	"streamhive/media/dvr/export/archivetest"
	"streamhive/media/mediatest"
)

var (
	clipOnce sync.Once
	clip     *mediatest.Clip
	clipErr  error
)

func loadClip(t testing.TB) *mediatest.Clip {
	t.Helper()
	clipOnce.Do(func() { clip, clipErr = mediatest.LoadClip() })
	if clipErr != nil {
		t.Fatal(clipErr)
	}
	return clip
}

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// node returns an archive recorded in runs of [offset, duration) from t0.
func node(t *testing.T, runs ...[2]time.Duration) *archivetest.Archive {
	t.Helper()
	a := archivetest.New()
	for _, r := range runs {
		if err := a.Record(loadClip(t), nil, t0.Add(r[0]), r[1]); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func union(parts ...dvr.Part) *dvr.Union {
	return dvr.NewUnion(func() []dvr.Part { return parts })
}

var everything = [2]time.Time{t0.Add(-time.Hour), t0.Add(time.Hour)}

// checkOnePerTime fails when two records of recs overlap by more than
// half of the later one, or are out of order.
func checkOnePerTime(t *testing.T, recs []dvr.Record) {
	t.Helper()
	for i := 1; i < len(recs); i++ {
		if overlap := recs[i-1].End().Sub(recs[i].Start); overlap > recs[i].Duration/2 {
			t.Errorf("record %d (%s) overlaps the one before by %s", i, recs[i].Start, overlap)
		}
	}
}

// TestUnionTakeover: node A records until it dies, node B from the
// takeover on. The union lists both, B's first record a Gap with an epoch
// of its own, in two ranges (the takeover is a gap); reads go to the node
// that recorded.
func TestUnionTakeover(t *testing.T) {
	t.Parallel()
	a := node(t, [2]time.Duration{0, 20 * time.Second})
	b := node(t, [2]time.Duration{24 * time.Second, 16 * time.Second})
	u := union(dvr.Part{Name: "a", Archive: a}, dvr.Part{Name: "b", Archive: b})
	recs := u.Records(everything[0], everything[1])
	na, nb := len(a.Records(everything[0], everything[1])), len(b.Records(everything[0], everything[1]))
	if len(recs) != na+nb {
		t.Fatalf("%d records, want %d + %d", len(recs), na, nb)
	}
	checkOnePerTime(t, recs)
	for i, r := range recs {
		fromB := i >= na
		if fromB != !r.Start.Before(t0.Add(24*time.Second)) {
			t.Fatalf("record %d at %s from the wrong node", i, r.Start)
		}
		if want := i == na; r.Gap != want && i > 0 {
			t.Errorf("record %d: Gap %v, want %v", i, r.Gap, want)
		}
	}
	if recs[na-1].Epoch == recs[na].Epoch {
		t.Errorf("both nodes' records in epoch %d", recs[na].Epoch)
	}
	ranges := u.Ranges()
	if len(ranges) != 2 || !ranges[0].From.Equal(t0) || !ranges[1].From.Equal(t0.Add(24*time.Second)) {
		t.Fatalf("ranges %+v, want two: from t0 and from t0+24s", ranges)
	}
	for _, i := range []int{0, na - 1, na, len(recs) - 1} {
		var src dvr.Archive = a
		if i >= na {
			src = b
		}
		checkReads(t, u, recs[i], src, src.Records(recs[i].Start, recs[i].End())[0])
	}
}

// checkReads compares the union's reads of rec with the source's of orig.
func checkReads(t *testing.T, u *dvr.Union, rec dvr.Record, src dvr.Archive, orig dvr.Record) {
	t.Helper()
	ts, err := u.ReadTS(rec)
	want, _ := src.ReadTS(orig)
	if err != nil || !bytes.Equal(ts, want) {
		t.Errorf("TS at %s: %d bytes, %v; want the source's %d", rec.Start, len(ts), err, len(want))
	}
	frags, err := u.ReadCMAF(rec)
	wantFrags, _ := src.ReadCMAF(orig)
	if err != nil || len(frags) != len(wantFrags) || !bytes.Equal(frags[0], wantFrags[0]) {
		t.Errorf("CMAF at %s: %v", rec.Start, err)
	}
	in, err := u.Init(rec)
	wantIn, _ := src.Init(orig)
	if err != nil || in != wantIn {
		t.Errorf("init at %s: %v", rec.Start, err)
	}
}

// TestUnionAdjacent: B starts where A stops: one range, a discontinuity
// at the change of node all the same.
func TestUnionAdjacent(t *testing.T) {
	t.Parallel()
	a := node(t, [2]time.Duration{0, 20 * time.Second})
	last, _ := a.Newest()
	b := archivetest.New()
	if err := b.Record(loadClip(t), nil, last.End(), 10*time.Second); err != nil {
		t.Fatal(err)
	}
	u := union(dvr.Part{Name: "b", Archive: b}, dvr.Part{Name: "a", Archive: a})
	if rs := u.Ranges(); len(rs) != 1 || !rs[0].From.Equal(t0) {
		t.Fatalf("ranges %+v, want one from t0", rs)
	}
	gaps := 0
	for _, r := range u.Records(everything[0], everything[1])[1:] {
		if r.Gap {
			gaps++
		}
	}
	if gaps != 1 {
		t.Errorf("%d gaps, want the one at the change of node", gaps)
	}
}

// TestUnionOverlap: both nodes recorded [10 s, 20 s) (a partition). The
// union keeps A's records (the node being played) until A stops, then
// B's: one change of node, no time listed twice, one range.
func TestUnionOverlap(t *testing.T) {
	t.Parallel()
	a := node(t, [2]time.Duration{0, 20 * time.Second})
	b := node(t, [2]time.Duration{10*time.Second + 700*time.Millisecond, 20 * time.Second})
	u := union(dvr.Part{Name: "a", Archive: a}, dvr.Part{Name: "b", Archive: b})
	recs := u.Records(everything[0], everything[1])
	checkOnePerTime(t, recs)
	changes := 0
	for i := 1; i < len(recs); i++ {
		if recs[i].Epoch != recs[i-1].Epoch {
			changes++
			if !recs[i].Gap {
				t.Errorf("change of node at %s without a Gap", recs[i].Start)
			}
		}
	}
	if changes != 1 {
		t.Errorf("%d changes of node, want 1", changes)
	}
	lastA, _ := a.Newest()
	for _, r := range recs {
		if !r.Start.After(lastA.Start) && r.Epoch != recs[0].Epoch {
			t.Errorf("B's record at %s listed while A recorded", r.Start)
		}
	}
	if rs := u.Ranges(); len(rs) != 1 || !rs[0].From.Equal(t0) || rs[0].Duration < 30*time.Second {
		t.Fatalf("ranges %+v, want one of 30 s from t0", rs)
	}
	// A window starting inside the overlap lists the same records.
	from := t0.Add(12 * time.Second)
	sub := u.Records(from, everything[1])
	if len(sub) == 0 || sub[0].Epoch != recs[0].Epoch {
		t.Errorf("window from %s starts on node B", from)
	}
}

// TestUnionPartLeaves: a node that left is absent; the records listed
// from it read as ErrGone, and its epochs stay its own if it returns.
func TestUnionPartLeaves(t *testing.T) {
	t.Parallel()
	a := node(t, [2]time.Duration{0, 10 * time.Second})
	b := node(t, [2]time.Duration{14 * time.Second, 10 * time.Second})
	var withB atomic.Bool
	withB.Store(true)
	u := dvr.NewUnion(func() []dvr.Part {
		ps := []dvr.Part{{Name: "a", Archive: a}}
		if withB.Load() {
			ps = append(ps, dvr.Part{Name: "b", Archive: b})
		}
		return ps
	})
	recs := u.Records(everything[0], everything[1])
	withB.Store(false)
	if _, err := u.ReadTS(recs[len(recs)-1]); !errors.Is(err, dvr.ErrGone) {
		t.Errorf("read of a record of a node that left: %v, want ErrGone", err)
	}
	if n := len(u.Ranges()); n != 1 {
		t.Errorf("%d ranges without B, want 1", n)
	}
	if _, err := u.Init(dvr.Record{Epoch: 99}); !errors.Is(err, dvr.ErrGone) {
		t.Errorf("unknown epoch: %v", err)
	}
	withB.Store(true)
	again := u.Records(everything[0], everything[1])
	if again[len(again)-1].Epoch != recs[len(recs)-1].Epoch {
		t.Errorf("B's epoch renumbered")
	}
}
