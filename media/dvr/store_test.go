package dvr

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/segment"
)

// The store does not parse what it stores, so these tests write made-up
// segments: bytes that name themselves, so a read back is checked exactly.

var t0 = time.Date(2026, 11, 23, 22, 59, 52, 0, time.UTC)

func testInit(epoch int) *segment.Init {
	return &segment.Init{
		Epoch: epoch,
		Tracks: []media.Track{
			{ID: 0, Codec: media.CodecH264, SPS: []byte{0x67, 1}, PPS: []byte{0x68, 2}, Width: 640, Height: 360},
			{ID: 1, Codec: media.CodecAAC, AudioConfig: []byte{0x12, 0x10}, SampleRate: 44100, Channels: 2},
		},
		CMAF:       [][]byte{[]byte("init-video"), []byte("init-audio")},
		Timescales: []uint32{90000, 44100},
	}
}

// seg makes segment n of a 2 s cadence starting at start.
func seg(in *segment.Init, n int, start time.Time) *segment.Segment {
	id := start.Add(time.Duration(n) * 2 * time.Second).Format(time.RFC3339)
	s := &segment.Segment{
		MSN: uint64(n), Init: in,
		DTS: time.Duration(n) * 2 * time.Second, Duration: 2 * time.Second,
		ProgramDateTime: start.Add(time.Duration(n) * 2 * time.Second),
		CMAF:            [][]byte{[]byte("video:" + id), []byte("audio:" + id)},
		Spans: []segment.Span{
			{Timescale: 90000, Base: uint64(n) * 180000, Length: 180000, Samples: 50},
			{Timescale: 44100, Base: uint64(n) * 88200, Length: 88200, Samples: 86},
		},
	}
	return s.WithTS(bytes.Repeat([]byte("ts:"+id+";"), 100))
}

func open(t *testing.T, o Options) *Store {
	t.Helper()
	if o.Stream == "" {
		o.Stream = "live/cam"
	}
	if o.Retention == 0 {
		o.Retention = -1
	}
	s, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	<-s.Loaded()
	return s
}

func write(t *testing.T, s *Store, segs ...*segment.Segment) {
	t.Helper()
	for _, g := range segs {
		if _, err := s.Write(g, false); err != nil {
			t.Fatalf("write %d: %v", g.MSN, err)
		}
	}
}

func TestWriteReadBack(t *testing.T) {
	d := NewDisk(t.TempDir())
	s := open(t, Options{Disks: []*Disk{d}})
	in := testInit(0)
	var segs []*segment.Segment
	for i := range 5 {
		segs = append(segs, seg(in, i, t0))
	}
	write(t, s, segs...)

	if got, want := s.Ranges(), []Range{{From: t0, Duration: 10 * time.Second}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ranges %v, want %v", got, want)
	}
	recs := s.Records(t0.Add(3*time.Second), t0.Add(7*time.Second))
	if len(recs) != 3 || !recs[0].Start.Equal(t0.Add(2*time.Second)) {
		t.Fatalf("records overlapping [3s,7s): %+v", recs)
	}
	all := s.Records(t0, t0.Add(time.Hour))
	if !all[0].Gap || all[1].Gap || !all[0].Keyframe || all[2].DTS != 4*time.Second {
		t.Fatalf("record fields: %+v", all[:3])
	}
	for i, r := range all {
		ts, err := s.ReadTS(r)
		if err != nil || !bytes.Equal(ts, segs[i].MPEGTS()) {
			t.Fatalf("ReadTS %d: %v", i, err)
		}
		cmaf, err := s.ReadCMAF(r)
		if err != nil || !reflect.DeepEqual(cmaf, segs[i].CMAF) {
			t.Fatalf("ReadCMAF %d: %q %v", i, cmaf, err)
		}
		if !reflect.DeepEqual(r.Spans, segs[i].Spans) || r.Size != int64(len(ts)+len(cmaf[0])+len(cmaf[1])) {
			t.Fatalf("record %d: %+v", i, r)
		}
		init, err := s.Init(r)
		if err != nil || !reflect.DeepEqual(init.CMAF, in.CMAF) || init.Tracks[1].SampleRate != 44100 {
			t.Fatalf("Init: %+v %v", init, err)
		}
	}
	// The segment spans two hours: both directories exist, under an
	// escaped stream name.
	for _, h := range []string{"22", "23"} {
		dir := filepath.Join(d.Path(), "live%2Fcam", "2026", "11", "23", h)
		if _, err := os.Stat(dir); err != nil {
			t.Fatal(err)
		}
	}
	if info := s.Info(); info.Records != 5 || info.Depth != 10*time.Second || info.Duration != 10*time.Second || info.Bytes == 0 {
		t.Fatalf("info %+v", info)
	}
}

func TestRangesSplitAtGapsAndEpochs(t *testing.T) {
	s := open(t, Options{Disks: []*Disk{NewDisk(t.TempDir())}})
	in0, in1 := testInit(0), testInit(1)
	write(t, s, seg(in0, 0, t0), seg(in0, 1, t0))
	write(t, s, seg(in1, 2, t0)) // new parameters: a Gap, but the range goes on
	write(t, s, seg(in1, 4, t0)) // 2 s missing: a new range
	write(t, s, seg(in1, 5, t0)) // follows on
	r := s.Records(t0, t0.Add(time.Hour))
	gaps := []bool{r[0].Gap, r[1].Gap, r[2].Gap, r[3].Gap, r[4].Gap}
	if !reflect.DeepEqual(gaps, []bool{true, false, true, true, false}) || r[2].Epoch == r[1].Epoch {
		t.Fatalf("gaps %v, epochs %d %d", gaps, r[1].Epoch, r[2].Epoch)
	}
	want := []Range{{From: t0, Duration: 6 * time.Second}, {From: t0.Add(8 * time.Second), Duration: 4 * time.Second}}
	if got := s.Ranges(); !reflect.DeepEqual(got, want) {
		t.Fatalf("ranges %v, want %v", got, want)
	}
}

func TestIndexRebuiltFromDisk(t *testing.T) {
	disks := []*Disk{NewDisk(t.TempDir()), NewDisk(t.TempDir())}
	s := open(t, Options{Disks: disks})
	in := testInit(0)
	for i := range 6 {
		if i == 3 {
			disks[s.first].Inject(syscall.EIO) // the rest go to the other disk
		}
		write(t, s, seg(in, i, t0))
	}
	write(t, s, seg(testInit(1), 8, t0))
	before, ranges := s.Records(t0, t0.Add(time.Hour)), s.Ranges()
	s.Close()

	again := open(t, Options{Disks: []*Disk{NewDisk(disks[0].Path()), NewDisk(disks[1].Path())}})
	if got := again.Records(t0, t0.Add(time.Hour)); !reflect.DeepEqual(got, before) {
		t.Fatalf("rebuilt records\n%+v\nwant\n%+v", got, before)
	}
	if got := again.Ranges(); !reflect.DeepEqual(got, ranges) {
		t.Fatalf("rebuilt ranges %v, want %v", got, ranges)
	}
	for _, r := range before {
		if _, err := again.ReadTS(r); err != nil {
			t.Fatal(err)
		}
		if _, err := again.Init(r); err != nil {
			t.Fatal(err)
		}
	}
	// A new epoch after the reopen is numbered after those on disk.
	rec, err := again.Write(seg(testInit(0), 10, t0), false)
	if err != nil || rec.Epoch != 2 || !rec.Gap {
		t.Fatalf("first record after reopen: %+v %v", rec, err)
	}
}

func TestCrashDebrisIgnoredAndCleaned(t *testing.T) {
	d := NewDisk(t.TempDir())
	s := open(t, Options{Disks: []*Disk{d}})
	in := testInit(0)
	write(t, s, seg(in, 0, t0), seg(in, 1, t0), seg(in, 2, t0))
	before := s.Records(t0, t0.Add(time.Hour))
	s.Close()

	dir := hourDir(d.Path(), "live/cam", t0)
	debris := []string{
		filepath.Join(dir, ".tmp-1.ts"),                                          // a write in progress
		filepath.Join(dir, baseName(t0.Add(6*time.Second), 2*time.Second)+extTS), // renamed before its record
		filepath.Join(streamDir(d.Path(), "live/cam"), initDir, ".tmp-5.json"),
	}
	for _, p := range debris {
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A record whose media is shorter than it says: truncated by hand.
	third := filepath.Join(dir, baseName(t0.Add(4*time.Second), 2*time.Second))
	if err := os.Truncate(third+extTS, 10); err != nil {
		t.Fatal(err)
	}

	again := open(t, Options{Disks: []*Disk{NewDisk(d.Path())}})
	if got := again.Records(t0, t0.Add(time.Hour)); !reflect.DeepEqual(got, before[:2]) {
		t.Fatalf("records %+v, want the two whole ones", got)
	}
	for _, p := range append(debris, third+extTS, third+extMeta) {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s not cleaned: %v", p, err)
		}
	}
}

func TestRetentionByAge(t *testing.T) {
	s := open(t, Options{Disks: []*Disk{NewDisk(t.TempDir())}, Limits: Limits{Expiration: 10 * time.Second}})
	in := testInit(0)
	for i := range 10 {
		write(t, s, seg(in, i, t0))
	}
	old := s.Records(t0, t0.Add(time.Second))[0]
	// At t0+20s, segments ending more than 10 s ago go: 0..4 end at or before t0+10s.
	if n := s.Trim(t0.Add(20*time.Second + time.Millisecond)); n != 5 {
		t.Fatalf("trimmed %d, want 5", n)
	}
	if got := s.Ranges(); len(got) != 1 || !got[0].From.Equal(t0.Add(10*time.Second)) {
		t.Fatalf("ranges after expiry: %v", got)
	}
	if _, err := s.ReadTS(old); !errors.Is(err, ErrGone) {
		t.Fatalf("read of an expired record: %v", err)
	}
	write(t, s, seg(in, 10, t0)) // writing goes on
	if got := s.Ranges(); got[0].Duration != 12*time.Second {
		t.Fatalf("ranges after writing on: %v", got)
	}
}

func TestRetentionBySizeWhileWriting(t *testing.T) {
	in := testInit(0)
	size := seg(in, 0, t0)
	per := int64(size.TSLen() + len(size.CMAF[0]) + len(size.CMAF[1]))
	s := open(t, Options{Disks: []*Disk{NewDisk(t.TempDir())}, Limits: Limits{StorageLimit: 4 * per}})

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // retention runs while the writer writes
		defer wg.Done()
		for range 50 {
			s.Trim(t0)
		}
	}()
	for i := range 20 {
		write(t, s, seg(in, i, t0))
	}
	wg.Wait()
	s.Trim(t0)
	info := s.Info()
	if info.Bytes > 4*per || info.Records != 4 {
		t.Fatalf("after the size limit: %+v", info)
	}
	if got := s.Ranges(); len(got) != 1 || !got[0].From.Equal(t0.Add(32*time.Second)) || got[0].Duration != 8*time.Second {
		t.Fatalf("ranges %v", got)
	}
	files := 0
	_ = filepath.WalkDir(streamDir(s.Disks()[0].Path(), "live/cam"), func(p string, de os.DirEntry, _ error) error {
		if !de.IsDir() && strings.HasSuffix(p, extTS) {
			files++
		}
		return nil
	})
	if files != 4 {
		t.Fatalf("%d .ts files on disk, want 4", files)
	}
}

func TestDeleteRange(t *testing.T) {
	s := open(t, Options{Disks: []*Disk{NewDisk(t.TempDir())}})
	in := testInit(0)
	for i := range 6 {
		write(t, s, seg(in, i, t0))
	}
	if n := s.Delete(t0.Add(4*time.Second), t0.Add(8*time.Second)); n != 2 {
		t.Fatalf("deleted %d", n)
	}
	want := []Range{{From: t0, Duration: 4 * time.Second}, {From: t0.Add(8 * time.Second), Duration: 4 * time.Second}}
	if got := s.Ranges(); !reflect.DeepEqual(got, want) {
		t.Fatalf("ranges %v, want %v", got, want)
	}
	if r := s.Records(t0.Add(8*time.Second), t0.Add(9*time.Second)); !r[0].Gap {
		t.Fatal("the record after a deleted range is not a gap")
	}
}

func TestWriteErrorReportedAndRecovered(t *testing.T) {
	now := t0
	d := NewDisk(t.TempDir())
	s := open(t, Options{Disks: []*Disk{d}, Now: func() time.Time { return now }})
	in := testInit(0)
	write(t, s, seg(in, 0, t0))

	d.Inject(syscall.ENOSPC)
	if _, err := s.Write(seg(in, 1, t0), false); !errors.Is(err, ErrNoDisk) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("write to a full disk: %v", err)
	}
	st := d.Status()
	if st.State != DiskFull || st.Errors != 1 || !strings.Contains(st.LastError, "no space") {
		t.Fatalf("disk status %+v", st)
	}
	// Until the retry time the disk is not tried again.
	d.Inject(nil)
	if _, err := s.Write(seg(in, 2, t0), false); !errors.Is(err, ErrNoDisk) {
		t.Fatalf("write before the retry time: %v", err)
	}
	now = now.Add(RetryAfter)
	rec, err := s.Write(seg(in, 3, t0), false)
	if err != nil || !rec.Gap {
		t.Fatalf("write after recovery: %+v %v", rec, err)
	}
	if st := d.Status(); st.State != DiskOK || st.Writes != 2 {
		t.Fatalf("disk status after recovery %+v", st)
	}
	if got := s.Ranges(); len(got) != 2 {
		t.Fatalf("ranges %v: want the interruption to split them", got)
	}
	// Nothing of the failed writes is left on disk.
	ents, _ := os.ReadDir(hourDir(d.Path(), "live/cam", t0))
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), tmpPref) {
			t.Fatalf("temporary file left: %s", e.Name())
		}
	}
}

func TestDisksRegistry(t *testing.T) {
	var r Disks
	a, b := r.Get("/x"), r.Get("/x")
	if a != b || len(r.List()) != 1 {
		t.Fatal("one root, two Disks")
	}
}

func TestRetentionByDiskUsage(t *testing.T) {
	in := testInit(0)
	per := seg(in, 0, t0)
	size := int64(per.TSLen() + len(per.CMAF[0]) + len(per.CMAF[1]))
	// A 100-record disk holding 95 records' worth: 15 over an 80 % limit.
	statfsOf = func(string) (int64, int64, error) { return 100 * size, 5 * size, nil }
	t.Cleanup(func() { statfsOf = statfs })
	d := NewDisk(t.TempDir())
	s := open(t, Options{Disks: []*Disk{d}, Limits: Limits{DiskUsage: 80}})
	for i := range 20 {
		write(t, s, seg(in, i, t0))
	}
	if st := d.Status(); st.Usage != 95 || st.Size != 100*size {
		t.Fatalf("disk status %+v", st)
	}
	if n := s.Trim(t0); n != 15 {
		t.Fatalf("trimmed %d, want the 15 oldest", n)
	}
	if got := s.Ranges(); len(got) != 1 || !got[0].From.Equal(t0.Add(30*time.Second)) {
		t.Fatalf("ranges %v", got)
	}
}

func TestStreamsSpreadAcrossDisks(t *testing.T) {
	disks := []*Disk{NewDisk(t.TempDir()), NewDisk(t.TempDir()), NewDisk(t.TempDir())}
	in := testInit(0)
	for i := range 12 {
		s := open(t, Options{Stream: fmt.Sprintf("cam%d", i), Disks: disks})
		write(t, s, seg(in, 0, t0))
	}
	for _, d := range disks {
		if st := d.Status(); st.Writes == 0 {
			t.Errorf("no stream records on %s", d.Path())
		}
	}
}
