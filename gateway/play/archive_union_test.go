package play

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"streamhive/media/dvr"
	"streamhive/media/dvr/export/archivetest"
)

// TestArchiveUnion: a cluster stream's archive recorded by node A until
// it died and by node B from where A stopped, served as one (dvr.Union):
// the playlists show a discontinuity and a new init segment at the change
// of node, the MPD a new Period, every segment reads back from the node
// that recorded it, and one MP4 spans both.
func TestArchiveUnion(t *testing.T) {
	t.Parallel()
	c := loadClip(t)
	a, b := archivetest.New(), archivetest.New()
	if err := a.Record(c, nil, arcT0, 12*time.Second); err != nil {
		t.Fatal(err)
	}
	lastA, _ := a.Newest()
	if err := b.Record(c, nil, lastA.End(), 10*time.Second); err != nil {
		t.Fatal(err)
	}
	u := dvr.NewUnion(func() []dvr.Part { return []dvr.Part{{Name: "b", Archive: b}, {Name: "a", Archive: a}} })
	h := New(Options{Streams: arcStreams{"cl": archivedStream{&fakeStream{}, u}}, ReadyTimeout: testReady})
	ah := &archiveHarness{base: serve(t, h)}

	_, pl := ah.get(t, arcPath("cl", "mono-%d-60.m3u8", 0), 200)
	if n := strings.Count(pl, "#EXT-X-DISCONTINUITY\n"); n != 1 {
		t.Errorf("%d discontinuities, want 1 at the change of node:\n%s", n, pl)
	}
	if d := playlistSeconds(t, pl); d < 21*time.Second || d > 23*time.Second {
		t.Errorf("playlist lasts %s, want both nodes' 22 s", d)
	}
	_, seg := ah.get(t, "/cl/"+lastURI(pl), 200)
	newest, _ := b.Newest()
	if want, _ := b.ReadTS(newest); !bytes.Equal([]byte(seg), want) {
		t.Errorf("last segment: %d bytes, not node B's %d", len(seg), len(want))
	}

	_, video := ah.get(t, arcPath("cl", "track-0-%d-60.m3u8", 0), 200)
	maps := regexp.MustCompile(`URI="([^"]+)"`).FindAllStringSubmatch(video, -1)
	if len(maps) != 2 || strings.Count(video, "#EXT-X-DISCONTINUITY\n") != 1 {
		t.Fatalf("want 2 EXT-X-MAPs and 1 discontinuity:\n%s", video)
	}
	for _, m := range maps {
		ah.get(t, "/cl/"+m[1], 200)
	}
	if _, frag := ah.get(t, "/cl/"+lastURI(video), 200); frag[4:8] != "moof" {
		t.Errorf("fragment starts with %q", frag[4:8])
	}

	_, mpd := ah.get(t, arcPath("cl", "index-%d-60.mpd", 0), 200)
	periods := regexp.MustCompile(`<Period id="(\d+)"`).FindAllStringSubmatch(mpd, -1)
	if len(periods) != 2 {
		t.Fatalf("%d periods, want one per node:\n%s", len(periods), mpd)
	}
	_, p2, _ := strings.Cut(mpd, periods[1][0])
	tmpl := regexp.MustCompile(`media="([^"]+)"`).FindStringSubmatch(p2)[1]
	first := regexp.MustCompile(`<S t="(\d+)"`).FindStringSubmatch(p2)[1]
	if _, frag := ah.get(t, "/cl/"+strings.Replace(tmpl, "$Time$", first, 1), 200); frag[4:8] != "moof" {
		t.Errorf("B's first DASH fragment starts with %q", frag[4:8])
	}

	// Continuous TS from just before the change of node: the joiner
	// restamps B's records after A's (a Gap), so the stream stays in sync.
	resp, err := http.Get(ah.base + "/cl/" + fmt.Sprintf("timeshift_abs-%d.ts", lastA.Start.Unix()))
	if err != nil {
		t.Fatal(err)
	}
	tail, _ := a.ReadTS(lastA) // all of A's last record, then some of B's
	buf := make([]byte, len(tail)+100*tsPacket)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || resp.StatusCode != 200 {
		t.Fatalf("timeshift over both nodes: %d, %v", resp.StatusCode, err)
	}
	_ = resp.Body.Close()
	for i := 0; i < len(buf); i += tsPacket {
		if buf[i] != 0x47 {
			t.Fatalf("timeshift: packet %d out of sync", i/tsPacket)
		}
	}

	resp, mp4 := ah.get(t, arcPath("cl", "archive-%d-30.mp4", 0), 200)
	if resp.Header.Get("Content-Type") != "video/mp4" || !strings.Contains(mp4[:64], "ftyp") {
		t.Errorf("MP4 over both nodes: %q, starts %q", resp.Header.Get("Content-Type"), mp4[:16])
	}
}
