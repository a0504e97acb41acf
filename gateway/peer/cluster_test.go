package peer

import (
	"sync"
	"testing"
	"time"

	"streamhive/actors/cluster"
	"streamhive/actors/clusterdvr"
)

// fakeView is a cluster.View whose members the test sets.
type fakeView struct {
	mu      sync.Mutex
	members []cluster.Member
}

func (v *fakeView) Members() []cluster.Member {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]cluster.Member(nil), v.members...)
}

func (v *fakeView) Self() cluster.Member {
	for _, m := range v.Members() {
		if m.Self {
			return m
		}
	}
	return cluster.Member{}
}

func (v *fakeView) set(ms ...cluster.Member) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.members = ms
}

// TestClusterArchives: node B, which took the capture of "cam" over from
// A, serves A's recording and its own as one archive; a member that is
// down adds nothing; once A leaves the view its records are gone; a
// stream that is not clustered is served locally only.
func TestClusterArchives(t *testing.T) {
	t.Parallel()
	a := recorded(t, [2]time.Duration{0, 10 * time.Second})
	b := recorded(t, [2]time.Duration{13 * time.Second, 6 * time.Second})
	self := cluster.Member{ID: "b-1", Name: "b", Self: true}
	memberA := cluster.Member{ID: "a-1", Name: "a", API: owner(t, a) + "/"}
	down := cluster.Member{ID: "c-1", Name: "c", API: "http://127.0.0.1:1"}
	view := &fakeView{}
	view.set(memberA, self, down)
	archives := clusterdvr.New(clusterdvr.Options{
		View: view, Key: func() string { return testKey },
		Clustered: func(s string) bool { return s == "cam" },
		Refresh:   20 * time.Millisecond, Timeout: 5 * time.Second, FirstWait: 10 * time.Second,
	})
	t.Cleanup(archives.Close)
	if archives.Archive("other", b) != nil {
		t.Error("a stream that is not clustered got a union")
	}
	u := archives.Archive("cam", b)
	na, nb := len(a.Records(everything[0], everything[1])), len(b.Records(everything[0], everything[1]))
	recs := u.Records(everything[0], everything[1])
	if len(recs) != na+nb || !recs[na].Gap {
		t.Fatalf("%d records, want A's %d then B's %d after a gap", len(recs), na, nb)
	}
	if ts, err := u.ReadTS(recs[0]); err != nil || len(ts) == 0 {
		t.Errorf("A's first record: %v", err)
	}
	if rs := u.Ranges(); len(rs) != 2 {
		t.Errorf("ranges %+v, want A's and B's", rs)
	}
	relay := archives.Archive("cam", nil) // a node that records nothing
	if n := len(relay.Records(everything[0], everything[1])); n != na {
		t.Errorf("relay: %d records, want A's %d", n, na)
	}

	view.set(self, down)
	if n := len(u.Records(everything[0], everything[1])); n != nb {
		t.Errorf("after A left: %d records, want B's %d", n, nb)
	}
	if _, err := u.ReadTS(recs[0]); err == nil {
		t.Error("a record of a member that left still reads")
	}
}
