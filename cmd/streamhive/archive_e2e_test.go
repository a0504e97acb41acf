//go:build e2e

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestArchivePlayback records 60 s of an RTMP publication with `dvr` on a
// temporary directory; while it is live, timeshift_rel-30 ends 30 s behind
// the live edge; then it reads every archive URL over 50 s: ffprobe finds
// the media and ffmpeg decodes it without an error line, the durations
// are the range asked for (within a segment), the MP4 download and the
// API's MP4 export play and seek, timeshift_rel ends its delay behind the
// archive's edge, a thumbnail is a JPEG and recording_status.json lists
// the range.
func TestArchivePlayback(t *testing.T) {
	if testing.Short() {
		t.Skip("60 s of real media")
	}
	t.Parallel() // mostly waiting on real-time media: overlaps the other DVR test
	dir := t.TempDir()
	port, rtmpPort := freePort(t), freePort(t)
	conf := writeConfig(t, dir, port, fmt.Sprintf(
		"rtmp 127.0.0.1:%d;\nstream arc { input publish://; segment_duration 1; dvr %s 1h; }\n", rtmpPort, filepath.Join(dir, "dvr")))
	p := start(t, port, "-config", conf)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	pub, pubOut := publishRTMP(ctx, t, fmt.Sprintf("rtmp://127.0.0.1:%d/live/arc", rtmpPort), "320x180", 60)
	var r archiveRanges
	recorded := func(seconds int64) func() bool {
		return func() bool {
			code, body := p.do("GET", "/streamer/api/v3/streams/arc/dvr/ranges", "", "")
			if code != 200 {
				t.Fatalf("GET dvr ranges: %d %s", code, body)
			}
			r = decode[archiveRanges](t, body)
			return len(r.Ranges) == 1 && r.Ranges[0].Duration >= seconds
		}
	}

	// While the stream is live: timeshift_rel-30 is a live playlist that
	// ends 30 s behind the live edge, and ffprobe reads it.
	mediatest.WaitFor(t, 50*time.Second, "40 s recorded", recorded(40))
	checkProbe(t, p.base+"/arc/timeshift_rel-30.m3u8")
	master := httpGet(t, p.base+"/arc/timeshift_rel-30.m3u8")
	media := httpGet(t, p.base+"/arc/"+lastLine(master))
	recorded(0)()
	live := time.Unix(r.Ranges[0].From+r.Ranges[0].Duration, 0)
	if end := archivePlaylistEnd(t, media); end.After(live.Add(-28*time.Second)) || end.Before(live.Add(-34*time.Second)) {
		t.Errorf("timeshift_rel-30 ends %s before the live edge, want 30 s:\n%s", live.Sub(end), media)
	}

	if err := pub.Wait(); err != nil {
		t.Fatalf("publish: %v: %s", err, pubOut.String())
	}
	mediatest.WaitFor(t, 10*time.Second, "58 s recorded", recorded(58))
	from, dur := r.Ranges[0].From+2, int64(50)
	edge := time.Unix(r.Ranges[0].From+r.Ranges[0].Duration, 0)
	base := p.base + "/arc/"
	rng := fmt.Sprintf("%d-%d", from, dur)

	for _, u := range []string{"index-" + rng + ".m3u8", "archive-" + rng + ".fmp4.m3u8", "index-" + rng + ".mpd"} {
		checkProbe(t, base+u)
		archiveDecode(t, base+u)
		archiveDuration(t, base+u, dur)
	}
	ts := archiveSave(t, base+"archive-"+rng+".ts", "a.ts")
	checkProbe(t, ts)
	archiveDecode(t, ts)
	archiveDuration(t, ts, dur)

	mp4 := archiveSave(t, base+"archive-"+rng+".mp4", "a.mp4")
	archiveDecode(t, mp4)
	archiveDuration(t, mp4, dur)
	archiveDecode(t, mp4, "-ss", "5", "-t", "1")

	code, body := p.do("POST", fmt.Sprintf("/streamer/api/v3/streams/arc/dvr/export?from=%d&duration=%d", from, dur), "", "")
	exported := filepath.Join(t.TempDir(), "export.mp4")
	if code != 200 || os.WriteFile(exported, []byte(body), 0o600) != nil {
		t.Fatalf("export: %d %.200s", code, body)
	}
	archiveDecode(t, exported)
	archiveDuration(t, exported, dur)
	archiveDecode(t, exported, "-ss", "5", "-t", "1")

	// After the publication: timeshift_rel-10 ends 10 s behind the edge.
	archiveDecode(t, base+"timeshift_rel-10.m3u8", "-t", "2")
	media = httpGet(t, base+lastLine(httpGet(t, base+"timeshift_rel-10.m3u8")))
	if end := archivePlaylistEnd(t, media); end.After(edge.Add(-9*time.Second)) || end.Before(edge.Add(-13*time.Second)) {
		t.Errorf("timeshift_rel-10 ends %s before the edge, want 10 s:\n%s", edge.Sub(end), media)
	}
	checkProbe(t, base+"rewind-15.m3u8")

	if jpg := httpGet(t, base+strconv.FormatInt(from+5, 10)+".jpg"); !strings.HasPrefix(jpg, "\xff\xd8") {
		t.Errorf("thumbnail is not a JPEG: %.20q", jpg)
	}
	if st := httpGet(t, base+"recording_status.json"); !strings.Contains(st, fmt.Sprintf(`"from":%d`, r.Ranges[0].From)) {
		t.Errorf("recording_status.json: %s", st)
	}
}

// archiveRanges is GET /streams/{name}/dvr/ranges.
type archiveRanges struct {
	Ranges []struct {
		From     int64 `json:"from"`
		Duration int64 `json:"duration"`
	} `json:"ranges"`
}

// archiveSave downloads url into a file named name.
func archiveSave(t *testing.T, url, name string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(httpGet(t, url)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v %.200s", url, resp.StatusCode, err, b)
	}
	return string(b)
}

// archiveDecode has ffmpeg decode src (after input options such as -ss;
// output options such as -t) without one error line.
func archiveDecode(t *testing.T, src string, opts ...string) {
	t.Helper()
	var in, out []string
	for i := 0; i+1 < len(opts); i += 2 {
		if opts[i] == "-ss" {
			in = append(in, opts[i:i+2]...)
		} else {
			out = append(out, opts[i:i+2]...)
		}
	}
	args := append(append([]string{"-v", "error", "-nostdin"}, in...), "-i", src)
	args = append(append(args, out...), "-f", "null", "-")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := exec.CommandContext(ctx, "ffmpeg", args...).CombinedOutput()
	if err != nil || strings.TrimSpace(string(b)) != "" {
		t.Errorf("ffmpeg %v: %v\n%s", args, err, b)
	}
}

// archiveDuration checks ffprobe's duration of src against want seconds,
// within a segment (1 s here) at each end.
func archiveDuration(t *testing.T, src string, want int64) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", src).Output()
	got, perr := strconv.ParseFloat(strings.TrimSpace(string(out)), 64)
	if err != nil || perr != nil || got < float64(want)-2 || got > float64(want)+2 {
		t.Errorf("ffprobe %s: duration %q (%v), want %d ± 2 s", src, out, err, want)
	}
}

func lastLine(pl string) string {
	lines := strings.Split(strings.TrimSpace(pl), "\n")
	return lines[len(lines)-1]
}

var rePDT = regexp.MustCompile(`#EXT-X-PROGRAM-DATE-TIME:(\S+)\n#EXTINF:([0-9.]+),`)

// archivePlaylistEnd is the wall clock after a media playlist's last segment.
func archivePlaylistEnd(t *testing.T, pl string) time.Time {
	t.Helper()
	m := rePDT.FindAllStringSubmatch(pl, -1)
	if len(m) == 0 {
		t.Fatalf("no segments:\n%s", pl)
	}
	last := m[len(m)-1]
	start, err := time.Parse("2006-01-02T15:04:05.000Z07:00", last[1])
	secs, _ := strconv.ParseFloat(last[2], 64)
	if err != nil {
		t.Fatal(err)
	}
	return start.Add(time.Duration(secs * float64(time.Second)))
}
