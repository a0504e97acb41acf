package play

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestArchiveTimeshiftMPD: timeshift_abs-FROM.mpd is the dynamic MPD of
// the timeshift_rel that starts at FROM: availabilityStartTime is the
// epoch plus its delay (a record becomes available that long after it
// was recorded), and its Location names that timeshift_rel-S.mpd (with
// the session's query, when the Gate gives one), which answers the same.
func TestArchiveTimeshiftMPD(t *testing.T) {
	t.Parallel()
	ah := newArchiveHarness(t)
	newest, _ := ah.clean.Newest()
	resp, mpd := ah.get(t, arcPath("clean", "timeshift_abs-%d.mpd", 6), 200)
	if ct := resp.Header.Get("Content-Type"); ct != typeMPD {
		t.Errorf("content type %q", ct)
	}
	loc := regexp.MustCompile(`<Location>timeshift_rel-(\d+)\.mpd</Location>`).FindStringSubmatch(mpd)
	if loc == nil || !strings.Contains(mpd, `type="dynamic"`) {
		t.Fatalf("timeshift_abs MPD:\n%s", mpd)
	}
	var delay int64
	_, _ = fmt.Sscan(loc[1], &delay)
	if want := int64(newest.End().Sub(arcT0.Add(6*time.Second)) / time.Second); delay != want {
		t.Errorf("delay %d s, want %d", delay, want)
	}
	ast := time.Unix(delay, 0).UTC().Format(mpdTimeLayout)
	if !strings.Contains(mpd, `availabilityStartTime="`+ast+`"`) {
		t.Errorf("availabilityStartTime is not the epoch plus %d s:\n%s", delay, mpd)
	}
	_, rel := ah.get(t, "/clean/timeshift_rel-"+loc[1]+".mpd", 200)
	if !strings.Contains(rel, `availabilityStartTime="`+ast+`"`) || strings.Contains(rel, "<Location>") {
		t.Errorf("timeshift_rel MPD:\n%s", rel)
	}
	ah.get(t, arcPath("clean", "timeshift_abs-%d.mpd", -7200), 404)
}

// TestArchiveTimeshiftTS: timeshift_abs-FROM.ts and timeshift_rel-S.ts
// answer continuous MPEG-TS from the archive (200, video/mp2t, packets in
// sync), the records up to tsLead ahead at once and the rest at the
// recording's pace: after the first seconds the response is still open.
func TestArchiveTimeshiftTS(t *testing.T) {
	t.Parallel()
	ah := newArchiveHarness(t)
	ago := int64(time.Since(arcT0)/time.Second) - 4
	for _, path := range []string{
		arcPath("clean", "timeshift_abs-%d.ts", 4),
		fmt.Sprintf("/clean/timeshift_rel-%d.ts", ago),
	} {
		resp, err := http.Get(ah.base + path)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != typeTS {
			t.Fatalf("%s: %d %q", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		buf := make([]byte, 100*tsPacket)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for i := 0; i < len(buf); i += tsPacket {
			if buf[i] != 0x47 {
				t.Fatalf("%s: packet %d out of sync", path, i/tsPacket)
			}
		}
		done := make(chan error, 1)
		go func() { _, err := io.Copy(io.Discard, resp.Body); done <- err }()
		select {
		case err := <-done:
			t.Errorf("%s: ended within a second (%v): not paced", path, err)
		case <-time.After(time.Second):
		}
		_ = resp.Body.Close()
	}
	ah.get(t, arcPath("clean", "timeshift_abs-%d.ts", 3600), 404)
	ah.get(t, "/nodvr/timeshift_rel-60.ts", 404)
}
