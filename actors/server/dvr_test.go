package server_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/VictoriaMetrics/metrics"

	"streamhive/actors/input"
	"streamhive/actors/server"
	"streamhive/media/dvr"
	"streamhive/media/mediatest"
	"streamhive/protocols/fake"
)

// TestDVRActorTree runs the real actor tree with two recorded streams fed
// by the test pattern: the writer child of `rec` fills its archive, which
// playback reaches through Playback.Archive and the stats through
// dvr_info; `bak`, fed only by an input marked backup, is packaged but
// not recorded.
func TestDVRActorTree(t *testing.T) {
	root := t.TempDir()
	conf := fmt.Sprintf(`
dvr store { root %s; expiration 1h; }
stream rec {
  input fake://?size=160x90;
  segment_duration 1;
  dvr @store;
}
stream bak {
  input fake://?size=160x90 backup;
  segment_duration 1;
  dvr %s/inline 10m;
}
`, root, root)
	logs := &mediatest.LogBuffer{}
	s, err := server.Start(server.Options{
		ConfigPath: writeConf(t, conf),
		Logger:     slog.New(slog.NewTextHandler(logs, nil)),
		Pullers:    input.Pullers{"fake": fake.Puller{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Stop(ctx)
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	}()

	var a dvr.Archive
	ok := mediatest.Eventually(15*time.Second, func() bool {
		pb, _ := s.Playback("rec")
		a = pb.Archive()
		return a != nil && len(a.Records(time.Time{}, time.Now().Add(time.Hour))) >= 3
	})
	if !ok {
		t.Fatal("rec: no archive with 3 records within 15 s")
	}
	recs := a.Records(time.Time{}, time.Now().Add(time.Hour))
	if !recs[0].Gap || recs[1].Gap || !recs[1].Keyframe || len(a.Ranges()) != 1 {
		t.Errorf("records %+v, ranges %v: want one range, a gap only first", recs, a.Ranges())
	}
	for _, r := range recs {
		ts, err := a.ReadTS(r)
		if err != nil || len(ts) == 0 || ts[0] != 0x47 || len(ts)%188 != 0 {
			t.Fatalf("ReadTS: %d bytes, %v", len(ts), err)
		}
		cmaf, err := a.ReadCMAF(r)
		in, ierr := a.Init(r)
		if err != nil || ierr != nil || len(cmaf) != len(in.Tracks) || len(cmaf[0]) == 0 {
			t.Fatalf("ReadCMAF/Init: %v %v", err, ierr)
		}
	}
	st, _ := s.Stats("rec")
	if st.DVR == nil || len(st.DVR.Ranges) != 1 || st.DVR.Bytes == 0 || st.DVR.Disk != "ok" {
		t.Errorf("rec stats dvr: %+v", st.DVR)
	}
	if disks := s.DVRDisks(); len(disks) != 2 || disks[0].Writes == 0 {
		t.Errorf("disks %+v", disks)
	}

	// A full disk: reported in the disk's state, the stats and the log;
	// live segments go on; recording resumes when space returns, after a
	// gap.
	store, _ := s.DVR("rec")
	disk := store.Disks()[0]
	disk.Inject(syscall.ENOSPC)
	pb, _ := s.Playback("rec")
	next := pb.Segmenter().Window().NextMSN()
	if !mediatest.Eventually(10*time.Second, func() bool { return disk.Status().State == dvr.DiskFull }) {
		t.Fatalf("disk state %+v after ENOSPC", disk.Status())
	}
	if st, _ := s.Stats("rec"); st.DVR.Disk != dvr.DiskFull {
		t.Errorf("stats disk_status %q, want full", st.DVR.Disk)
	}
	if !mediatest.Eventually(10*time.Second, func() bool { return pb.Segmenter().Window().NextMSN() >= next+3 }) {
		t.Fatal("live segments stopped while the disk was full")
	}
	var prom bytes.Buffer
	metrics.WritePrometheus(&prom, false)
	for _, want := range []string{
		`streamhive_dvr_disk_ok{disk="` + root + `"} 0`, `streamhive_dvr_write_errors_total{name="rec"}`,
		`streamhive_dvr_depth_seconds{name="rec"}`,
	} {
		if !strings.Contains(prom.String(), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	had := store.Info().Records
	disk.Inject(nil)
	if !mediatest.Eventually(10*time.Second, func() bool { return store.Info().Records >= had+2 && disk.Status().State == dvr.DiskOK }) {
		t.Fatalf("recording did not resume: %+v", disk.Status())
	}
	if n := len(store.Ranges()); n != 2 {
		t.Errorf("%d ranges after the outage, want 2", n)
	}
	if !strings.Contains(logs.String(), "disk write failed") || !strings.Contains(logs.String(), "disk writable again") {
		t.Error("the outage and the recovery are not logged")
	}

	// bak packages segments but its only input is a backup: no records.
	ok = mediatest.Eventually(10*time.Second, func() bool {
		pb, _ := s.Playback("bak")
		return pb.Segmenter() != nil && len(pb.Segmenter().Window().Segments) >= 2
	})
	bak, has := s.DVR("bak")
	if !ok || !has {
		t.Fatalf("bak: segments %v, store %v", ok, has)
	}
	if n := bak.Info().Records; n != 0 {
		t.Errorf("bak recorded %d segments of a backup input", n)
	}
}
