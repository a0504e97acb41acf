package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"streamhive/actors/input"
	"streamhive/actors/server"
	"streamhive/media/dvr"
	"streamhive/media/dvr/export/archivetest"
	"streamhive/media/mediatest"
	"streamhive/protocols/fake"
)

// TestDVRClusterWiring runs the real actor tree with Options.DVRCluster:
// the recorded stream's playback and API archive are what it makes of the
// local store (another node's records included), and a stream that runs
// here without a `dvr` line (a relay) serves the other node's records.
func TestDVRClusterWiring(t *testing.T) {
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	other := archivetest.New() // what the node that captured before recorded
	earlier := time.Now().Add(-10 * time.Minute)
	if err := other.Record(clip, nil, earlier, 6*time.Second); err != nil {
		t.Fatal(err)
	}
	cluster := func(_ string, local dvr.Archive) dvr.Archive {
		return dvr.NewUnion(func() []dvr.Part {
			ps := []dvr.Part{{Name: "other", Archive: other}}
			if local != nil {
				ps = append(ps, dvr.Part{Name: "self", Archive: local})
			}
			return ps
		})
	}
	conf := fmt.Sprintf(`
stream rec { input fake://?size=160x90; segment_duration 1; dvr %s 1h; }
stream relay { input fake://?size=160x90; segment_duration 1; }
`, t.TempDir())
	s, err := server.Start(server.Options{
		ConfigPath: writeConf(t, conf), Pullers: input.Pullers{"fake": fake.Puller{}}, DVRCluster: cluster,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Stop(ctx)
	}()
	all := func(a dvr.Archive) []dvr.Record { return a.Records(earlier.Add(-time.Hour), time.Now().Add(time.Hour)) }
	nOther := len(all(other))
	var a dvr.Archive
	mediatest.WaitFor(t, 15*time.Second, "rec's union with 2 local records", func() bool {
		pb, _ := s.Playback("rec")
		a = pb.Archive()
		return a != nil && len(all(a)) >= nOther+2
	})
	recs := all(a)
	if !recs[nOther].Gap || len(a.Ranges()) != 2 {
		t.Errorf("rec: the local records do not follow the other node's after a gap: %d ranges", len(a.Ranges()))
	}
	if ts, err := a.ReadTS(recs[nOther]); err != nil || len(ts) == 0 {
		t.Errorf("rec: local record through the union: %v", err)
	}
	if api, ok := s.DVRArchive("rec"); !ok || len(all(api)) < nOther+2 {
		t.Error("rec: the API's archive is not the union")
	}
	if st, _ := s.Stats("rec"); st.DVR == nil || len(st.DVR.Ranges) != 2 || !st.DVR.From.Equal(recs[0].Start) {
		t.Errorf("rec: stats dvr %+v, want both nodes' ranges", st.DVR)
	}
	mediatest.WaitFor(t, 10*time.Second, "relay's archive", func() bool {
		pb, ok := s.Playback("relay")
		return ok && pb.Archive() != nil
	})
	pb, _ := s.Playback("relay")
	if n := len(all(pb.Archive())); n != nOther {
		t.Errorf("relay: %d records, want the other node's %d", n, nOther)
	}
}
