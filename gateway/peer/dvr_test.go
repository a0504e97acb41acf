package peer

import (
	"bytes"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/cluster"
	"streamhive/media/dvr"
	"streamhive/media/dvr/export/archivetest"
	"streamhive/media/dvr/remote"
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

const testKey = "s3cret"

// owner serves a's recording of stream "cam" with DVR on 127.0.0.1 and
// returns its base URL.
func owner(t *testing.T, a dvr.Archive) string {
	t.Helper()
	return serveDVR(t, &DVR{
		Key: func() string { return testKey },
		Local: func(name string) (dvr.Archive, bool) {
			return a, name == "cam"
		},
	})
}

// serveDVR serves d on 127.0.0.1 and returns its base URL.
func serveDVR(t *testing.T, d *DVR) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: d.ServeHTTP}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return "http://" + ln.Addr().String()
}

// reader returns the remote archive of "cam" at base, proving key.
func reader(t *testing.T, base, key string) *remote.Archive {
	t.Helper()
	r := remote.New(remote.Options{
		Base: base, Stream: "cam", Header: cluster.KeyHeader,
		Proof:   func() string { return cluster.KeyProof(key, time.Now()) },
		Refresh: 20 * time.Millisecond, Timeout: 2 * time.Second, FirstWait: 10 * time.Second,
	})
	t.Cleanup(r.Close)
	return r
}

func recorded(t *testing.T, runs ...[2]time.Duration) *archivetest.Archive {
	t.Helper()
	a := archivetest.New()
	for _, r := range runs {
		if err := a.Record(loadClip(t), nil, t0.Add(r[0]), r[1]); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

var everything = [2]time.Time{t0.Add(-time.Hour), t0.Add(time.Hour)}

// TestRemoteArchive: the remote archive lists the owner's records and
// ranges exactly and reads their TS, CMAF and init back byte for byte;
// records recorded later and records deleted reach it by the refreshes.
func TestRemoteArchive(t *testing.T) {
	t.Parallel()
	a := recorded(t, [2]time.Duration{0, 10 * time.Second}, [2]time.Duration{14 * time.Second, 6 * time.Second})
	r := reader(t, owner(t, a), testKey)
	want, got := a.Records(everything[0], everything[1]), r.Records(everything[0], everything[1])
	if len(got) != len(want) {
		t.Fatalf("%d records, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if !g.Start.Equal(w.Start) || g.Duration != w.Duration || g.DTS != w.DTS || g.Epoch != w.Epoch ||
			g.Gap != w.Gap || len(g.Spans) != len(w.Spans) || g.Spans[0] != w.Spans[0] || g.Size != w.Size {
			t.Fatalf("record %d: %+v, want %+v", i, g, w)
		}
	}
	if gr, wr := r.Ranges(), a.Ranges(); len(gr) != 2 || !gr[1].From.Equal(wr[1].From) || gr[1].Duration != wr[1].Duration {
		t.Errorf("ranges %+v, want %+v", gr, wr)
	}
	for _, i := range []int{0, len(want) - 1} {
		ts, err := r.ReadTS(got[i])
		wts, _ := a.ReadTS(want[i])
		if err != nil || !bytes.Equal(ts, wts) {
			t.Errorf("TS %d: %d bytes, %v", i, len(ts), err)
		}
		frags, err := r.ReadCMAF(got[i])
		wf, _ := a.ReadCMAF(want[i])
		if err != nil || len(frags) != len(wf) || !bytes.Equal(frags[1], wf[1]) {
			t.Errorf("CMAF %d: %v", i, err)
		}
		in, err := r.Init(got[i])
		win, _ := a.Init(want[i])
		if err != nil || len(in.Tracks) != len(win.Tracks) || !bytes.Equal(in.CMAF[0], win.CMAF[0]) || in.Tracks[0].Codec != win.Tracks[0].Codec {
			t.Errorf("init %d: %v", i, err)
		}
	}
	if _, err := r.ReadTS(dvr.Record{Start: t0.Add(time.Millisecond)}); err == nil {
		t.Error("read of a record the owner lacks succeeded")
	}

	if err := a.Record(loadClip(t), nil, t0.Add(30*time.Second), 4*time.Second); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 5*time.Second, "the new run listed", func() bool { return len(r.Ranges()) == 3 })
	a.Delete(everything[0], t0.Add(12*time.Second))
	mediatest.WaitFor(t, 5*time.Second, "the deleted run gone", func() bool {
		recs := r.Records(everything[0], everything[1])
		return len(r.Ranges()) == 2 && len(recs) > 0 && !recs[0].Start.Before(t0.Add(14*time.Second))
	})
}

// TestRemoteWrongKey: without the cluster key's proof the owner answers
// 403, and a remote archive with the wrong key lists nothing.
func TestRemoteWrongKey(t *testing.T) {
	t.Parallel()
	base := owner(t, recorded(t, [2]time.Duration{0, 6 * time.Second}))
	for _, proof := range []string{"", cluster.KeyProof("wrong", time.Now()), cluster.KeyProof(testKey, time.Now().Add(-time.Hour))} {
		req, _ := http.NewRequest(http.MethodGet, base+remote.PathRecords+"?stream=cam", nil)
		if proof != "" {
			req.Header.Set(cluster.KeyHeader, proof)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("proof %q: status %d, want 403", proof, resp.StatusCode)
		}
	}
	if n := len(reader(t, base, "wrong").Records(everything[0], everything[1])); n != 0 {
		t.Errorf("%d records with the wrong key", n)
	}
	if n := len(reader(t, base, testKey).Records(everything[0], everything[1])); n == 0 {
		t.Error("no records with the right key")
	}
}

// TestRemoteDown: a member that is down shows no records and no ranges,
// in a union too, and its reads fail without a hang.
func TestRemoteDown(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	down := reader(t, base, testKey)
	local := recorded(t, [2]time.Duration{0, 6 * time.Second})
	u := dvr.NewUnion(func() []dvr.Part {
		return []dvr.Part{{Name: "self", Archive: local}, {Name: "down", Archive: down}}
	})
	if got, want := len(u.Records(everything[0], everything[1])), len(local.Records(everything[0], everything[1])); got != want {
		t.Errorf("union with a down member: %d records, want the local %d", got, want)
	}
	if n := len(u.Ranges()); n != 1 {
		t.Errorf("%d ranges, want the local one", n)
	}
	if _, err := down.ReadTS(dvr.Record{Start: t0}); err == nil {
		t.Error("read from a down member succeeded")
	}
}

// TestUnionOverHTTP: node B plays the archive of a stream that node A
// recorded until it died (read over HTTP) and B recorded since: one
// archive whose records read back from both.
func TestUnionOverHTTP(t *testing.T) {
	t.Parallel()
	a := recorded(t, [2]time.Duration{0, 10 * time.Second})
	b := recorded(t, [2]time.Duration{13 * time.Second, 8 * time.Second})
	fromA := reader(t, owner(t, a), testKey)
	u := dvr.NewUnion(func() []dvr.Part {
		return []dvr.Part{{Name: "b", Archive: b}, {Name: "a", Archive: fromA}}
	})
	recs := u.Records(everything[0], everything[1])
	na := len(a.Records(everything[0], everything[1]))
	if len(recs) != na+len(b.Records(everything[0], everything[1])) || !recs[na].Gap || recs[na].Epoch == recs[0].Epoch {
		t.Fatalf("%d records; the first of B (%d) not a new epoch after a gap", len(recs), na)
	}
	for _, rec := range []dvr.Record{recs[0], recs[na-1], recs[na]} {
		if ts, err := u.ReadTS(rec); err != nil || len(ts) == 0 {
			t.Errorf("record at %s: %v", rec.Start, err)
		}
		if in, err := u.Init(rec); err != nil || len(in.Tracks) == 0 {
			t.Errorf("init at %s: %v", rec.Start, err)
		}
	}
	if n := len(u.Ranges()); n != 2 {
		t.Errorf("%d ranges, want A's and B's", n)
	}
}

// TestStores: a stream with no store is no archive (never a typed nil).
func TestStores(t *testing.T) {
	t.Parallel()
	st, err := dvr.Open(dvr.Options{Stream: "cam", Disks: []*dvr.Disk{dvr.NewDisk(t.TempDir())}, Retention: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	local := Stores(func(name string) (*dvr.Store, bool) { return st, name == "cam" })
	if a, ok := local("cam"); !ok || a == nil {
		t.Error("cam's store not found")
	}
	if a, ok := local("other"); ok || a != nil {
		t.Error("an archive for a stream with no store")
	}
}
