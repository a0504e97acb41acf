package peer

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"streamhive/actors/cluster"
	"streamhive/actors/clusterdvr"
	"streamhive/media/dvr"
	"streamhive/media/dvr/remote"
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

// TestProtectedRecordingStaysProtected: the owner of a protected stream
// hands its recording (clear media) only to a member that says it
// protects the stream itself: every endpoint refuses a plain read 403,
// and the union of a node without the stream's drm line shows none of
// the owner's records and reads none of its bytes, while a protecting
// node's reads them all.
func TestProtectedRecordingStaysProtected(t *testing.T) {
	t.Parallel()
	a := recorded(t, [2]time.Duration{0, 6 * time.Second})
	rec := a.Records(everything[0], everything[1])[0]
	base := serveDVR(t, &DVR{
		Key:       func() string { return testKey },
		Local:     func(name string) (dvr.Archive, bool) { return a, name == "cam" },
		Protected: func(name string) bool { return name == "cam" },
	})
	start := strconv.FormatInt(rec.Start.UnixNano(), 10)
	paths := []string{
		remote.PathRecords + "?stream=cam", remote.PathInit + "?stream=cam&epoch=0",
		remote.PathTS + "?stream=cam&start=" + start, remote.PathCMAF + "?stream=cam&start=" + start,
	}
	for _, path := range paths {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		req.Header.Set(cluster.KeyHeader, cluster.KeyProof(testKey, time.Now()))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), `"protected"`) {
			t.Errorf("%s without the protects header: %d %.120q, want 403 protected", path, resp.StatusCode, body)
		}
	}

	view := &fakeView{}
	view.set(cluster.Member{ID: "b-1", Name: "b", Self: true}, cluster.Member{ID: "a-1", Name: "a", API: base})
	union := func(protects bool) dvr.Archive {
		archives := clusterdvr.New(clusterdvr.Options{
			View: view, Key: func() string { return testKey },
			Clustered: func(s string) bool { return s == "cam" },
			Protects:  func(s string) bool { return protects && s == "cam" },
			Refresh:   20 * time.Millisecond, Timeout: 5 * time.Second, FirstWait: 2 * time.Second,
		})
		t.Cleanup(archives.Close)
		return archives.Archive("cam", nil)
	}
	plain := union(false)
	if n := len(plain.Records(everything[0], everything[1])); n != 0 {
		t.Errorf("a node that does not protect the stream lists %d of its records", n)
	}
	if b, err := plain.ReadTS(rec); err == nil {
		t.Errorf("a node that does not protect the stream read %d bytes of it", len(b))
	}
	protecting := union(true)
	recs := protecting.Records(everything[0], everything[1])
	if want := len(a.Records(everything[0], everything[1])); len(recs) != want {
		t.Fatalf("a protecting node lists %d records, want %d", len(recs), want)
	}
	if ts, err := protecting.ReadTS(recs[0]); err != nil || len(ts) == 0 {
		t.Errorf("a protecting node's read: %d bytes, %v", len(ts), err)
	}
}
