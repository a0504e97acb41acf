package api

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media/dvr"
	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

// recordClip writes d of the test clip into st as one run of a segmenter
// whose wall clock starts at start.
func recordClip(t *testing.T, st *dvr.Store, start time.Time, d time.Duration) {
	t.Helper()
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	var segs []*segment.Segment
	sg := segment.New(segment.Config{
		Now:       func() time.Time { return start },
		OnSegment: func(s *segment.Segment) { segs = append(segs, s) },
	})
	if err := sg.SetTracks(clip.Tracks); err != nil {
		t.Fatal(err)
	}
	for _, f := range clip.Loop(d) {
		if f.DTS < d {
			sg.WriteFrame(f)
		}
	}
	sg.Close()
	for i, s := range segs {
		if _, err := st.Write(s, i == 0); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDVRRangesDeleteExport(t *testing.T) {
	root := t.TempDir()
	h := newHarness(t, testConfig(t, fmt.Sprintf(`
dvr arc { root %s; }
stream cam { input publish://; dvr @arc; }
stream plain { input publish://; }
`, root)))
	st, err := dvr.Open(dvr.Options{Stream: "cam", Disks: []*dvr.Disk{dvr.NewDisk(root)}, Retention: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h.ctl.SetDVR("cam", st)
	t0 := time.Unix(1_700_000_000, 0)
	recordClip(t, st, t0, 6*time.Second)
	recordClip(t, st, t0.Add(60*time.Second), 4*time.Second)

	var ranges struct {
		Ranges []dvrRange `json:"ranges"`
	}
	r := h.get("streams/cam/dvr/ranges")
	mustStatus(t, r, fasthttp.StatusOK)
	r.json(t, &ranges)
	if len(ranges.Ranges) != 2 || ranges.Ranges[0].From != t0.Unix() || ranges.Ranges[1].From != t0.Unix()+60 ||
		ranges.Ranges[0].Duration < 5 || ranges.Ranges[0].Duration > 7 {
		t.Fatalf("ranges %s", r.body)
	}
	mustError(t, h.get("streams/plain/dvr/ranges"), fasthttp.StatusNotFound, "not_found")
	mustError(t, h.get("streams/nope/dvr/ranges"), fasthttp.StatusNotFound, "not_found")

	// Export the first range to a file, and the second as the body.
	out := filepath.Join(t.TempDir(), "cam.mp4")
	q := fmt.Sprintf("streams/cam/dvr/export?from=%d&duration=6&path=%s", t0.Unix(), out)
	mustStatus(t, h.do(fasthttp.MethodPost, q, ""), fasthttp.StatusOK)
	if b, err := os.ReadFile(out); err != nil || len(b) < 1000 || !bytes.Equal(b[4:8], []byte("ftyp")) {
		t.Fatalf("exported file: %d bytes, %v", len(b), err)
	}
	r = h.do(fasthttp.MethodPost, fmt.Sprintf("streams/cam/dvr/export?from=%d&duration=4", t0.Unix()+60), "")
	mustStatus(t, r, fasthttp.StatusOK)
	if r.header["Content-Type"] != "video/mp4" || len(r.body) < 1000 || !bytes.Equal(r.body[4:8], []byte("ftyp")) {
		t.Fatalf("exported body: %d bytes, %q", len(r.body), r.header["Content-Type"])
	}
	mustError(t, h.do(fasthttp.MethodPost, fmt.Sprintf("streams/cam/dvr/export?from=%d&duration=10", t0.Unix()+30), ""),
		fasthttp.StatusNotFound, "not_found")
	mustError(t, h.do(fasthttp.MethodPost, "streams/cam/dvr/export?from=x", ""), fasthttp.StatusBadRequest, "bad_request")
	// A duration whose nanoseconds overflow int64 is refused, not wrapped
	// into a range that ends before it starts.
	mustError(t, h.do(fasthttp.MethodPost, fmt.Sprintf("streams/cam/dvr/export?from=%d&duration=9223372037", t0.Unix()), ""),
		fasthttp.StatusBadRequest, "bad_request")

	// Delete the first range: one is left.
	body := fmt.Sprintf(`{"from":%d,"duration":10}`, t0.Unix())
	mustStatus(t, h.do(fasthttp.MethodDelete, "streams/cam/dvr/ranges", body), fasthttp.StatusNoContent)
	r = h.get("streams/cam/dvr/ranges")
	r.json(t, &ranges)
	if len(ranges.Ranges) != 1 || ranges.Ranges[0].From != t0.Unix()+60 {
		t.Fatalf("ranges after delete %s", r.body)
	}
	mustError(t, h.do(fasthttp.MethodDelete, "streams/cam/dvr/ranges", `{"from":"x"}`), fasthttp.StatusBadRequest, "bad_request")
	mustError(t, h.do(fasthttp.MethodDelete, "streams/cam/dvr/ranges", fmt.Sprintf(`{"from":%d,"duration":9223372037}`, t0.Unix())),
		fasthttp.StatusBadRequest, "bad_request")

	// /dvrs shows the root's state.
	var dvrs struct {
		DVRs []struct {
			Disks []struct {
				Path  string         `json:"path"`
				Stats map[string]any `json:"stats"`
			} `json:"disks"`
		} `json:"dvrs"`
	}
	r = h.get("dvrs")
	r.json(t, &dvrs)
	if len(dvrs.DVRs) != 1 || len(dvrs.DVRs[0].Disks) != 1 || dvrs.DVRs[0].Disks[0].Stats["state"] != "ok" ||
		dvrs.DVRs[0].Disks[0].Stats["mounted"] != true {
		t.Fatalf("dvrs %s", r.body)
	}
	mustStatus(t, h.get("dvrs/arc"), fasthttp.StatusOK)
}
