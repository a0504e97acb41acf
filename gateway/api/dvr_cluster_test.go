package api

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media/dvr"
)

// TestDVRRangesOfCluster: a `cluster_ingest` stream's ranges and exports
// come from the archive the node serves (every node's recording, as
// Control.DVRArchive gives it), on the node that records and on a relay
// that records nothing.
func TestDVRRangesOfCluster(t *testing.T) {
	h := newHarness(t, testConfig(t, fmt.Sprintf(`
dvr arc { root %s; }
stream cam { input publish://; dvr @arc; }
stream relayed { input publish://; }
`, t.TempDir())))
	t0 := time.Unix(1_700_000_000, 0)
	stores := make([]*dvr.Store, 2)
	for i := range stores {
		st, err := dvr.Open(dvr.Options{Stream: "cam", Disks: []*dvr.Disk{dvr.NewDisk(t.TempDir())}, Retention: -1})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		recordClip(t, st, t0.Add(time.Duration(i)*60*time.Second), 4*time.Second)
		stores[i] = st
	}
	// Node B records since t0+60 s; node A recorded before.
	u := dvr.NewUnion(func() []dvr.Part { return []dvr.Part{{Name: "b", Archive: stores[1]}, {Name: "a", Archive: stores[0]}} })
	h.ctl.SetDVR("cam", stores[1])
	h.ctl.SetDVRArchive("cam", u)
	h.ctl.SetDVRArchive("relayed", u)
	for _, name := range []string{"cam", "relayed"} {
		var ranges struct {
			Ranges []dvrRange `json:"ranges"`
		}
		r := h.get("streams/" + name + "/dvr/ranges")
		mustStatus(t, r, fasthttp.StatusOK)
		r.json(t, &ranges)
		if len(ranges.Ranges) != 2 || ranges.Ranges[0].From != t0.Unix() || ranges.Ranges[1].From != t0.Unix()+60 {
			t.Fatalf("%s: ranges %s, want both nodes'", name, r.body)
		}
		r = h.do(fasthttp.MethodPost, fmt.Sprintf("streams/%s/dvr/export?from=%d&duration=4", name, t0.Unix()), "")
		mustStatus(t, r, fasthttp.StatusOK)
		if len(r.body) < 1000 || !bytes.Equal(r.body[4:8], []byte("ftyp")) {
			t.Fatalf("%s: export of node A's range: %d bytes", name, len(r.body))
		}
	}
}
