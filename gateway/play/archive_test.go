package play

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// arcPath is /STREAM/FILE with %d replaced by arcT0's Unix seconds plus
// an offset in seconds.
func arcPath(stream, format string, offset int) string {
	return "/" + stream + "/" + fmt.Sprintf(format, arcT0.Unix()+int64(offset))
}

func (ah *archiveHarness) get(t *testing.T, path string, want int) (*http.Response, string) {
	t.Helper()
	resp, body := fetch(t, ah.base+path)
	if resp.StatusCode != want {
		t.Fatalf("%s: status %d, want %d: %s", path, resp.StatusCode, want, body)
	}
	return resp, string(body)
}

var extinf = regexp.MustCompile(`#EXTINF:([0-9.]+),`)

// playlistSeconds sums a media playlist's EXTINFs.
func playlistSeconds(t *testing.T, pl string) time.Duration {
	t.Helper()
	var d time.Duration
	for _, m := range extinf.FindAllStringSubmatch(pl, -1) {
		s, err := strconv.ParseFloat(m[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		d += time.Duration(s * float64(time.Second))
	}
	return d
}

// lastURI returns the last line of a playlist that is not a tag.
func lastURI(pl string) string {
	lines := strings.Split(strings.TrimSpace(pl), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if !strings.HasPrefix(lines[i], "#") {
			return lines[i]
		}
	}
	return ""
}

// TestArchiveHLS: master → media playlists of a recording with a restart
// and an epoch change: one discontinuity per gap, a new EXT-X-MAP per
// epoch, a VOD playlist of what was recorded, segments that resolve.
func TestArchiveHLS(t *testing.T) {
	t.Parallel()
	ah := newArchiveHarness(t)
	_, master := ah.get(t, arcPath("gappy", "index-%d-60.m3u8", 0), 200)
	want := fmt.Sprintf("mono-%d-60.m3u8", arcT0.Unix())
	if lastURI(master) != want || !strings.Contains(master, `CODECS="avc1.`) {
		t.Fatalf("master:\n%s\nwant variant %s", master, want)
	}
	_, pl := ah.get(t, "/gappy/"+want, 200)
	for tag, n := range map[string]int{"#EXT-X-DISCONTINUITY\n": 2, "#EXT-X-PLAYLIST-TYPE:VOD\n": 1, "#EXT-X-ENDLIST\n": 1, "#EXT-X-MAP": 0} {
		if got := strings.Count(pl, tag); got != n {
			t.Errorf("%q %d times, want %d:\n%s", tag, got, n, pl)
		}
	}
	if !strings.Contains(pl, "#EXT-X-PROGRAM-DATE-TIME:"+arcT0.Format(pdtLayout)) {
		t.Errorf("first segment not at %s:\n%s", arcT0, pl)
	}
	if d := playlistSeconds(t, pl); d < 27*time.Second || d > 29*time.Second {
		t.Errorf("playlist lasts %s, want the 28 s recorded", d)
	}
	resp, seg := ah.get(t, "/gappy/"+lastURI(pl), 200)
	if resp.Header.Get("Content-Type") != typeTS || !isTS([]byte(seg)) {
		t.Errorf("segment: %s, %d bytes", resp.Header.Get("Content-Type"), len(seg))
	}

	_, fmaster := ah.get(t, arcPath("gappy", "archive-%d-60.fmp4.m3u8", 0), 200)
	if !strings.Contains(fmaster, "#EXT-X-MEDIA:TYPE=AUDIO") || !strings.Contains(fmaster, fmt.Sprintf("track-0-%d-60.m3u8", arcT0.Unix())) {
		t.Fatalf("fmp4 master:\n%s", fmaster)
	}
	_, audio := ah.get(t, arcPath("gappy", "track-1-%d-60.m3u8", 0), 200)
	if n := strings.Count(audio, "#EXT-X-MAP:"); n != 3 {
		t.Errorf("%d EXT-X-MAPs, want one per epoch (3):\n%s", n, audio)
	}
	if n := strings.Count(audio, "#EXT-X-DISCONTINUITY\n"); n != 2 {
		t.Errorf("%d discontinuities, want 2:\n%s", n, audio)
	}
	initURI := regexp.MustCompile(`URI="([^"]+)"`).FindStringSubmatch(audio)[1]
	if resp, _ := ah.get(t, "/gappy/"+initURI, 200); resp.Header.Get("Content-Type") != typeAudioMP {
		t.Errorf("init: %s", resp.Header.Get("Content-Type"))
	}
	if _, frag := ah.get(t, "/gappy/"+lastURI(audio), 200); frag[4:8] != "moof" {
		t.Errorf("fragment starts with %q", frag[4:8])
	}
}

// TestArchiveEvent: FROM-now is an EVENT playlist of everything since FROM.
func TestArchiveEvent(t *testing.T) {
	t.Parallel()
	ah := newArchiveHarness(t)
	_, pl := ah.get(t, arcPath("clean", "mono-%d-now.m3u8", 4), 200)
	if !strings.Contains(pl, "#EXT-X-PLAYLIST-TYPE:EVENT\n") || strings.Contains(pl, "#EXT-X-ENDLIST") {
		t.Errorf("not an open EVENT playlist:\n%s", pl)
	}
	if d := playlistSeconds(t, pl); d < 15*time.Second || d > 17*time.Second {
		t.Errorf("lasts %s, want the 16 s since FROM", d)
	}
}

// TestArchiveTimeshift: timeshift_rel-S ends S behind the newest record
// (within a segment), rewind-N lists the last N seconds, timeshift_abs
// starts its live playlist at FROM; all are live playlists whose segment
// numbers stay put as the window slides.
func TestArchiveTimeshift(t *testing.T) {
	t.Parallel()
	ah := newArchiveHarness(t)
	newest, _ := ah.clean.Newest()
	edge := newest.End()
	_, master := ah.get(t, "/clean/timeshift_rel-5.m3u8", 200)
	uri := lastURI(master)
	if !strings.HasPrefix(uri, "mono-timeshift_rel-5.m3u8?a=") {
		t.Fatalf("variant %q", uri)
	}
	_, pl := ah.get(t, "/clean/"+uri, 200)
	end := playlistEnd(t, pl)
	if want := edge.Add(-5 * time.Second); end.After(want) || end.Before(want.Add(-2*time.Second)) {
		t.Errorf("timeshift_rel-5 ends at %s, want within a segment before %s", end, want)
	}
	if strings.Contains(pl, "PLAYLIST-TYPE") || strings.Contains(pl, "ENDLIST") {
		t.Errorf("not a live playlist:\n%s", pl)
	}

	_, rw := ah.get(t, "/clean/mono-rewind-10.m3u8", 200)
	if d := playlistSeconds(t, rw); d < 9*time.Second || d > 10*time.Second {
		t.Errorf("rewind-10 lasts %s:\n%s", d, rw)
	}
	// Anchored 10 s earlier, the same window numbers its first segment 5.
	_, anchored := ah.get(t, fmt.Sprintf("/clean/mono-rewind-10.m3u8?a=%d", arcT0.UnixMilli()), 200)
	if !strings.Contains(anchored, "#EXT-X-MEDIA-SEQUENCE:5\n") {
		t.Errorf("anchored at the start, rewind-10 of 20 s:\n%s", anchored)
	}

	_, abs := ah.get(t, arcPath("clean", "timeshift_abs-%d.m3u8", 6), 200)
	_, pl = ah.get(t, "/clean/"+lastURI(abs), 200)
	if end := playlistEnd(t, pl); end.After(arcT0.Add(6*time.Second)) || end.Before(arcT0.Add(4*time.Second)) {
		t.Errorf("timeshift_abs at +6 s ends at +%s:\n%s", end.Sub(arcT0), pl)
	}
}

// playlistEnd is the wall clock just after a playlist's last segment.
func playlistEnd(t *testing.T, pl string) time.Time {
	t.Helper()
	i := strings.LastIndex(pl, "#EXT-X-PROGRAM-DATE-TIME:")
	if i < 0 {
		t.Fatalf("no program date time:\n%s", pl)
	}
	line, rest, _ := strings.Cut(pl[i+len("#EXT-X-PROGRAM-DATE-TIME:"):], "\n")
	start, err := time.Parse(pdtLayout, line)
	if err != nil {
		t.Fatal(err)
	}
	return start.Add(playlistSeconds(t, rest))
}

// TestArchiveMPD: a Period per run between gaps, starting at its wall
// clock offset; its $Time$ segments resolve; rewind-N is dynamic.
func TestArchiveMPD(t *testing.T) {
	t.Parallel()
	ah := newArchiveHarness(t)
	_, mpd := ah.get(t, arcPath("gappy", "index-%d-60.mpd", 0), 200)
	starts := regexp.MustCompile(`<Period id="(\d+)" start="([^"]+)"`).FindAllStringSubmatch(mpd, -1)
	if len(starts) != 3 || starts[0][2] != "PT0.000S" || starts[1][2] != "PT18.000S" || starts[2][2] != "PT26.000S" || !strings.Contains(mpd, `type="static"`) {
		t.Fatalf("periods %v, want 3 at 0, 18 and 26 s:\n%s", starts, mpd)
	}
	// The second period's first video fragment, by its template.
	_, p2, ok := strings.Cut(mpd, starts[1][0])
	if !ok {
		t.Fatalf("no %q in the MPD", starts[1][0])
	}
	media := regexp.MustCompile(`media="([^"]+)"`).FindStringSubmatch(p2)[1]
	first := regexp.MustCompile(`<S t="(\d+)"`).FindStringSubmatch(p2)[1]
	_, frag := ah.get(t, "/gappy/"+strings.Replace(media, "$Time$", first, 1), 200)
	if frag[4:8] != "moof" {
		t.Errorf("fragment starts with %q", frag[4:8])
	}
	_, live := ah.get(t, "/clean/rewind-10.mpd", 200)
	if !strings.Contains(live, `type="dynamic"`) || !strings.Contains(live, `availabilityStartTime="1970-01-01T00:00:00.000Z"`) {
		t.Errorf("rewind-10.mpd:\n%s", live)
	}
}

// TestArchiveErrors: no DVR, no recording, a disabled output, an unknown
// record.
func TestArchiveErrors(t *testing.T) {
	t.Parallel()
	ah := newArchiveHarness(t)
	for _, c := range []struct {
		path string
		want int
	}{
		{arcPath("nodvr", "index-%d-60.m3u8", 0), 404},
		{"/nodvr/recording_status.json", 404},
		{arcPath("clean", "index-%d-60.m3u8", 3600), 404},
		{arcPath("clean", "archive-%d-60.mp4", 3600), 404},
		{arcPath("clean", "archive-%d-60.ts", -3600), 404},
		{arcPath("clean", "%d.jpg", 3600), 404},
		{arcPath("clean", "%d-preview.mp4", 3600), 404},
		{"/clean/dvr-1.ts", 404},
		{"/clean/track-7-rewind-10.m3u8", 404},
		{arcPath("nohls", "index-%d-60.m3u8", 0), 403},
		{arcPath("nohls", "archive-%d-60.mp4", 0), 403},
		{arcPath("gappy", "archive-%d-60.mp4", 0), 409},
	} {
		resp, body := ah.get(t, c.path, c.want)
		var e struct{ Errors []struct{ Code string } }
		if err := json.Unmarshal([]byte(body), &e); err != nil || len(e.Errors) != 1 || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: not an error_response: %v %s", c.path, err, body)
		}
	}
}

// TestArchivePreviewMP4: FROM-preview.mp4 is the video init and one
// fragment of the record starting at or after FROM, cacheable.
func TestArchivePreviewMP4(t *testing.T) {
	t.Parallel()
	ah := newArchiveHarness(t)
	resp, body := ah.get(t, arcPath("clean", "%d-preview.mp4", 5), 200)
	if resp.Header.Get("Content-Type") != typeVideoMP || resp.Header.Get("Cache-Control") != cacheSegment ||
		!box("ftyp")([]byte(body)) || strings.Count(body, "moof") != 1 || !strings.Contains(body, "mdat") {
		t.Fatalf("preview: %s %s, %d bytes", resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"), len(body))
	}
	if _, err := firstFragment([]byte("\x00\x00\x00\x08moov")); !errors.Is(err, errBadFragment) {
		t.Errorf("not a fragment: %v", err)
	}
}

// TestRecordingStatus: recording_status.json is Flussonic's dvr_info.
func TestRecordingStatus(t *testing.T) {
	t.Parallel()
	ah := newArchiveHarness(t)
	_, body := ah.get(t, "/gappy/recording_status.json", 200)
	var s recordingStatus
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatal(err)
	}
	if s.From != arcT0.Unix() || len(s.Ranges) != 3 || s.Depth != 34 || s.Duration < 27 || s.Duration > 28 {
		t.Errorf("got %s", body)
	}
}
