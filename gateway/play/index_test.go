package play

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// TestIndexJSON: index.json lists the live window as streaming.yaml's
// abstract manifest (mutability, segment_prefix, periods with media_info
// and segments by wall-clock DTS in ms), and each segment it lists is
// served as MPEG-TS at live-DTS.ts.
func TestIndexJSON(t *testing.T) {
	hr := newHarness(t)
	w := hr.live.Window()
	if w == nil || len(w.Segments) < 2 {
		t.Fatal("the harness's stream has no window")
	}
	resp, body := hr.get(t, "/live/bunny/index.json")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != typeJSON {
		t.Fatalf("index.json: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var m abstractManifest
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	if m.Mutability != "live" || m.SegmentPrefix != "live" || len(m.Periods) == 0 {
		t.Fatalf("manifest %s", body)
	}
	var n int
	for _, p := range m.Periods {
		if len(p.Segments) == 0 || p.DTS != p.Segments[0].DTS || len(p.MediaInfo.Tracks) == 0 {
			t.Errorf("period %+v", p)
		}
		var sum int64
		for _, s := range p.Segments {
			sum += s.Duration
			seg := w.Segments[n]
			if s.DTS != seg.ProgramDateTime.UnixMilli() || s.Duration != seg.Duration.Milliseconds() {
				t.Errorf("segment %d: %+v, want dts %d duration %d", n, s, seg.ProgramDateTime.UnixMilli(), seg.Duration.Milliseconds())
			}
			n++
		}
		if p.Duration != sum {
			t.Errorf("period duration %d, segments sum to %d", p.Duration, sum)
		}
	}
	if n != len(w.Segments) {
		t.Fatalf("%d segments listed, the window has %d", n, len(w.Segments))
	}

	last := m.Periods[len(m.Periods)-1].Segments
	s := last[len(last)-1]
	resp, ts := hr.get(t, fmt.Sprintf("/live/bunny/live-%d.ts", s.DTS))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != typeTS || !bytes.Equal(ts, w.Segments[len(w.Segments)-1].MPEGTS()) {
		t.Errorf("live-%d.ts: %d %q, %d bytes", s.DTS, resp.StatusCode, resp.Header.Get("Content-Type"), len(ts))
	}
	for _, p := range []string{fmt.Sprintf("/live/bunny/live-%d.ts", s.DTS+1), "/live/bunny/live-0.ts", "/live/bunny/live-01.ts", "/live/bunny/live-x.ts"} {
		if resp, _ := hr.get(t, p); resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
	}
	if resp, _ := hr.get(t, "/fresh/index.json"); resp.StatusCode != 503 {
		t.Errorf("index.json of a stream with no segment: %d, want 503", resp.StatusCode)
	}
}

func FuzzParseLiveDTS(f *testing.F) {
	for _, s := range []string{"live-1653316321820.ts", "live-0.ts", "live-.ts", "live-99999999999999999999.ts", "dvr-1.ts"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if n, ok := parseLiveDTS(s); ok && (n <= 0 || fmt.Sprintf("live-%d.ts", n) != s) {
			t.Fatalf("%q read as %d", s, n)
		}
	})
}
