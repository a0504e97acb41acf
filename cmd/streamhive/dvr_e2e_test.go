//go:build e2e

package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// dvrRanges is GET /streams/{name}/dvr/ranges.
type dvrRanges struct {
	Ranges []struct {
		From     int64 `json:"from"`
		Duration int64 `json:"duration"`
	} `json:"ranges"`
}

func getRanges(t *testing.T, p *proc, name string) dvrRanges {
	t.Helper()
	code, body := p.do("GET", "/streamer/api/v3/streams/"+name+"/dvr/ranges", "", "")
	if code != 200 {
		t.Fatalf("GET dvr ranges: %d %s", code, body)
	}
	return decode[dvrRanges](t, body)
}

func (r dvrRanges) total() int64 {
	var n int64
	for _, x := range r.Ranges {
		n += x.Duration
	}
	return n
}

// TestDVRRecordsAcrossRestartsAndKills: a stream with `dvr` on a temporary
// directory records an RTMP publication; its ranges survive a restart;
// the server is then SIGKILLed while it writes, a few times, and every
// recorded TS file decodes, the debris of the kills (temporary files) is
// cleaned on the next start and the ranges still describe the files.
func TestDVRRecordsAcrossRestartsAndKills(t *testing.T) {
	t.Parallel() // mostly waiting on real-time media: overlaps TestArchivePlayback
	dir := t.TempDir()
	root := filepath.Join(dir, "dvr")
	port, rtmpPort := freePort(t), freePort(t)
	conf := writeConfig(t, dir, port, fmt.Sprintf(
		"rtmp 127.0.0.1:%d;\nstream cam { input publish://; segment_duration 1; dvr %s 1h; }\n", rtmpPort, root))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// Record about 8 s.
	p := start(t, port, "-config", conf)
	pub, _ := publishRTMP(ctx, t, fmt.Sprintf("rtmp://127.0.0.1:%d/live/cam", rtmpPort), "320x180", 6)
	_ = pub.Wait()
	var before dvrRanges
	mediatest.WaitFor(t, 10*time.Second, "4 s recorded", func() bool {
		before = getRanges(t, p, "cam")
		return len(before.Ranges) == 1 && before.total() >= 4
	})
	p.stop(syscall.SIGTERM)

	// The same ranges after a restart (the segment the stop finished may
	// add a second).
	p = start(t, port, "-config", conf)
	var after dvrRanges
	same := func() bool {
		after = getRanges(t, p, "cam")
		return len(after.Ranges) == 1 && after.Ranges[0].From == before.Ranges[0].From &&
			after.total() >= before.total() && after.total() <= before.total()+2
	}
	if !mediatest.Eventually(5*time.Second, same) { // the index is rebuilt in the background
		t.Fatalf("ranges after restart %+v, before %+v", after, before)
	}
	p.stop(syscall.SIGKILL)

	// Kill the server while it records, a few times.
	kills := 2 // STREAMHIVE_DVR_KILLS=N (make chaos) kills more
	if n, err := strconv.Atoi(os.Getenv("STREAMHIVE_DVR_KILLS")); err == nil && n > 0 {
		kills = n
	}
	known := after.total() // recorded at least this much so far
	for i := range kills {
		p = start(t, port, "-config", conf)
		var had int64
		mediatest.WaitFor(t, 5*time.Second, "the archive indexed", func() bool {
			had = getRanges(t, p, "cam").total()
			return had >= known
		})
		known = had + 2
		pub, _ := publishRTMP(ctx, t, fmt.Sprintf("rtmp://127.0.0.1:%d/live/cam", rtmpPort), "320x180", 30)
		mediatest.WaitFor(t, 15*time.Second, "2 more seconds recorded", func() bool {
			return getRanges(t, p, "cam").total() >= had+2
		})
		time.Sleep(time.Duration(137*i%900) * time.Millisecond) // land the kill at different points of a segment
		p.stop(syscall.SIGKILL)
		_ = pub.Process.Kill()
		_ = pub.Wait()
	}

	// Every recorded TS file decodes, debris or not.
	var tsFiles, tmpFiles []string
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			t.Errorf("walking the archive: %v", err)
			return err
		case d.IsDir():
		case strings.HasPrefix(d.Name(), ".tmp-"):
			tmpFiles = append(tmpFiles, path)
		case strings.HasSuffix(path, ".ts"):
			tsFiles = append(tsFiles, path)
		}
		return nil
	})
	if len(tsFiles) < 4+2*kills {
		t.Fatalf("%d TS files recorded, want at least %d", len(tsFiles), 4+2*kills)
	}
	for _, f := range tsFiles {
		checkWholeTS(t, f)
	}
	decodeFiles(t, tsFiles)

	// The next start cleans the debris; ranges show the interruptions.
	p = start(t, port, "-config", conf)
	var final dvrRanges
	mediatest.WaitFor(t, 5*time.Second, "the archive indexed after the kills", func() bool {
		final = getRanges(t, p, "cam")
		return len(final.Ranges) >= 1+kills && final.Ranges[0].From == before.Ranges[0].From
	})
	for _, f := range tmpFiles {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s left after a restart: %v", f, err)
		}
	}
	code, body := p.do("GET", "/streamer/api/v3/streams/cam", "", "")
	info := decode[struct {
		Stats struct {
			DVR struct {
				From   int64  `json:"from"`
				Depth  int64  `json:"depth"`
				Bytes  int64  `json:"bytes"`
				Status string `json:"disk_status"`
			} `json:"dvr_info"`
		} `json:"stats"`
	}](t, body).Stats.DVR
	if code != 200 || info.From != before.Ranges[0].From || info.Depth < final.total() || info.Bytes == 0 || info.Status != "ok" {
		t.Errorf("stream stats dvr_info %+v (%d)", info, code)
	}
	again := getRanges(t, p, "cam")
	if !reflect.DeepEqual(again, final) {
		t.Errorf("ranges changed without a publisher: %+v then %+v", final, again)
	}
}

// checkWholeTS checks that f is whole MPEG-TS packets (ffmpeg decodes a
// file cut short at its end without a word) and, when the segment's
// record exists, as long as the record says.
func checkWholeTS(t *testing.T, f string) {
	t.Helper()
	b, err := os.ReadFile(f)
	if err != nil || len(b) == 0 || len(b)%188 != 0 {
		t.Errorf("%s: %d bytes, not whole TS packets (%v)", f, len(b), err)
		return
	}
	for i := 0; i < len(b); i += 188 {
		if b[i] != 0x47 {
			t.Errorf("%s: no sync byte at %d", f, i)
			return
		}
	}
	meta, err := os.ReadFile(strings.TrimSuffix(f, ".ts") + ".json")
	if err != nil {
		return // renamed before its record when the server died: cleaned on start
	}
	if rec := decode[struct {
		TS int `json:"ts_bytes"`
	}](t, string(meta)); rec.TS != len(b) {
		t.Errorf("%s: %d bytes, its record says %d", f, len(b), rec.TS)
	}
}

// decodeFiles decodes the files, one after another, with one ffmpeg (the
// concat demuxer opens each as its own input, so a truncated or corrupt
// file shows as an error line) and fails on any error line.
func decodeFiles(t *testing.T, files []string) {
	t.Helper()
	var list strings.Builder
	for _, f := range files {
		fmt.Fprintf(&list, "file '%s'\n", f)
	}
	path := filepath.Join(t.TempDir(), "files.txt")
	if err := os.WriteFile(path, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-f", "concat", "-safe", "0", "-i", path,
		"-f", "null", "-").CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("decode of %d recorded files: %v\n%s", len(files), err, out)
	}
}
