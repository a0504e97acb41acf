package play

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/media"
	"streamhive/media/segment"
)

// manualStream is a stream whose segmenter the test feeds frame by frame
// on its own goroutine, so that a part appears exactly when the test says.
type manualStream struct {
	sg     *segment.Segmenter
	frames []*media.Frame
	next   int
}

func newManual(t *testing.T, st *fakeStream) *manualStream {
	t.Helper()
	c := loadClip(t)
	sg := segment.New(segment.Config{})
	if err := sg.SetTracks(c.Tracks); err != nil {
		t.Fatal(err)
	}
	st.set(sg)
	return &manualStream{sg: sg, frames: c.Loop(30 * time.Second)}
}

// feedUntil writes frames until done(window) holds.
func (m *manualStream) feedUntil(t *testing.T, done func(*segment.Window) bool) {
	t.Helper()
	for !done(m.sg.Window()) {
		if m.next == len(m.frames) {
			t.Fatal("clip exhausted")
		}
		m.sg.WriteFrame(m.frames[m.next])
		m.next++
	}
}

type answer struct {
	resp *http.Response // nil with err
	body []byte
	err  error
	at   time.Time
}

// getAsync fetches url with c on another goroutine; the answer arrives on
// the channel. A transport error comes as a 599 response to keep callers
// short.
func getAsync(c *http.Client, url string) <-chan answer {
	got := make(chan answer, 1)
	go func() {
		a := answer{resp: &http.Response{StatusCode: 599}}
		resp, err := c.Get(url)
		if err == nil {
			a.resp = resp
			a.body, err = io.ReadAll(resp.Body)
			_ = resp.Body.Close()
		}
		a.err, a.at = err, time.Now()
		got <- a
	}()
	return got
}

// pending fails the test if any of the requests has been answered.
func pending(t *testing.T, what string, reqs map[string]<-chan answer) {
	t.Helper()
	for name, ch := range reqs {
		select {
		case a := <-ch:
			t.Fatalf("%s: answered %d %s", name, a.resp.StatusCode, what)
		default:
		}
	}
}

// TestBlockingReloadAnswersWhenPartAppears: a blocking reload for the next
// part does not return while the part is missing, and returns at once
// when the segmenter publishes it, with the part in the playlist. The same
// holds for a request of the part itself (the preload hint). In a bubble:
// "not yet" is checked once every request is blocked, and again after
// 300 ms of fake time.
func TestBlockingReloadAnswersWhenPartAppears(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := &fakeStream{}
		base, c := serveMem(t, New(Options{Streams: fakeStreams{"s": st}}))
		m := newManual(t, st)
		// One finished segment, and the next with one part: part 1 comes next.
		m.feedUntil(t, func(w *segment.Window) bool {
			return len(w.Segments) > 0 && w.Partial != nil && len(w.Partial.Parts) == 1
		})
		msn := m.sg.Window().Partial.MSN
		reqs := map[string]<-chan answer{
			"reload":  getAsync(c, fmt.Sprintf("%s/s/track-0.ll.m3u8?_HLS_msn=%d&_HLS_part=1", base, msn)),
			"hint":    getAsync(c, fmt.Sprintf("%s/s/seg-%d.part-1.t0.m4s", base, msn)),
			"ts hint": getAsync(c, fmt.Sprintf("%s/s/seg-%d.part-1.ts", base, msn)),
		}
		synctest.Wait()
		pending(t, "before the part existed", reqs)
		time.Sleep(300 * time.Millisecond)
		synctest.Wait()
		pending(t, "before the part existed", reqs)

		m.feedUntil(t, func(w *segment.Window) bool { return w.Has(msn, 1) })
		published := time.Now()
		synctest.Wait() // every answer written and read, with no time passing
		uri := fmt.Sprintf(`URI="seg-%d.part-1.t0.m4s"`, msn)
		for name, ch := range reqs {
			var a answer
			select {
			case a = <-ch:
			default:
				t.Fatalf("%s: no answer once the part appeared", name)
			}
			if !a.at.Equal(published) {
				t.Errorf("%s: answered %v after the part appeared, want at once", name, a.at.Sub(published))
			}
			if a.resp.StatusCode != 200 {
				t.Errorf("%s: status %d: %s", name, a.resp.StatusCode, a.body)
			}
			if a.err != nil {
				t.Errorf("%s: %v", name, a.err)
			}
			if name == "reload" && !strings.Contains(string(a.body), uri) {
				t.Errorf("reload: playlist lacks part %s:\n%s", uri, a.body)
			}
			if name == "hint" && !box("moof")(a.body) {
				t.Errorf("hint: not a CMAF fragment: %.40q", a.body)
			}
			if name == "ts hint" && !isTS(a.body) {
				t.Errorf("ts hint: not MPEG-TS: %.40q", a.body)
			}
		}
	})
}

// TestBlockingReloadLive measures a blocking reload against a stream fed
// in real time: it returns within about one part duration, and the part
// it asked for exists when it does.
func TestBlockingReloadLive(t *testing.T) {
	hr := newHarness(t)
	for range 3 {
		w := hr.live.Window()
		msn, part := w.NextMSN(), 0
		if w.Partial != nil {
			part = len(w.Partial.Parts)
		}
		start := time.Now()
		resp, body := hr.get(t, fmt.Sprintf("/live/bunny/mono.ll.m3u8?_HLS_msn=%d&_HLS_part=%d", msn, part))
		took := time.Since(start)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		if !hr.live.Window().Has(msn, part) {
			t.Errorf("answered before part %d.%d existed", msn, part)
		}
		if limit := w.PartTarget + 300*time.Millisecond; took > limit {
			t.Errorf("part %d.%d: answered after %v, want within %v", msn, part, took, limit)
		}
		t.Logf("part %d.%d: blocked %v", msn, part, took)
	}
}

// TestBlockingReloadTooFarAhead: RFC 8216bis 6.2.5.2 — an _HLS_msn more
// than two past the last segment, or an _HLS_part past the Advance Part
// Limit, is answered 400 at once; the last request within the limits
// blocks instead.
func TestBlockingReloadTooFarAhead(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := &fakeStream{}
		base, c := serveMem(t, New(Options{Streams: fakeStreams{"s": st}}))
		m := newManual(t, st)
		m.feedUntil(t, func(w *segment.Window) bool {
			return len(w.Segments) > 0 && w.Partial != nil && len(w.Partial.Parts) == 1
		})
		w := m.sg.Window()
		last := w.Partial.MSN // the in-progress segment is the playlist's last
		for _, q := range []string{
			fmt.Sprintf("_HLS_msn=%d", last+3),
			fmt.Sprintf("_HLS_msn=%d&_HLS_part=0", last+3),
			// Past the Advance Part Limit: three seconds of parts ahead
			// of the last one.
			fmt.Sprintf("_HLS_msn=%d&_HLS_part=%d", last, len(w.Partial.Parts)+int(3*time.Second/w.PartTarget)),
		} {
			start := time.Now()
			resp, body := fetchWith(t, c, base+"/s/track-0.ll.m3u8?"+q)
			// Fake time passes only while everything waits: none for an
			// answer given at once.
			if took := time.Since(start); resp.StatusCode != 400 || took != 0 {
				t.Errorf("%s: got %d after %v, want 400 at once: %s", q, resp.StatusCode, took, body)
			}
		}
		// Within the limit: blocks (and is answered when the segmenter ends).
		blocked := getAsync(c, fmt.Sprintf("%s/s/track-0.ll.m3u8?_HLS_msn=%d", base, last+2))
		reqs := map[string]<-chan answer{"msn last+2": blocked}
		synctest.Wait()
		pending(t, "at once, want a blocking wait", reqs)
		time.Sleep(200 * time.Millisecond)
		synctest.Wait()
		pending(t, "within 200 ms, want a blocking wait", reqs)
		m.sg.Close()
		synctest.Wait()
		select {
		case a := <-blocked:
			if a.resp.StatusCode != 200 || !strings.Contains(string(a.body), "#EXT-X-ENDLIST") {
				t.Errorf("after close: got %d %s, want the ended playlist", a.resp.StatusCode, a.body)
			}
		default:
			t.Fatal("blocked reload not answered once the segmenter closed")
		}
	})
}

// TestDeltaPlaylist: a low-latency media playlist advertises
// CAN-SKIP-UNTIL (six target durations), and _HLS_skip=YES answers the
// delta update: EXT-X-SKIP for the segments before the skip boundary,
// the same media sequence, the rest as the full playlist lists them. A
// plain playlist ignores _HLS_skip.
func TestDeltaPlaylist(t *testing.T) {
	st := &fakeStream{}
	c := loadClip(t)
	sg := segment.New(segment.Config{WindowSegments: 12})
	if err := sg.SetTracks(c.Tracks); err != nil {
		t.Fatal(err)
	}
	st.set(sg)
	m := &manualStream{sg: sg, frames: c.Loop(60 * time.Second)}
	m.feedUntil(t, func(w *segment.Window) bool { return w != nil && len(w.Segments) == 12 })
	base := serve(t, New(Options{Streams: fakeStreams{"cam": st}}))
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != typeM3U8 {
			t.Fatalf("GET %s: %d %q %s", path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
		return string(b)
	}
	for _, pl := range []string{"mono.ll.m3u8", "track-0.ll.m3u8"} {
		full, delta := get("/cam/"+pl), get("/cam/"+pl+"?_HLS_skip=YES")
		if !strings.Contains(full, "CAN-SKIP-UNTIL=") || strings.Contains(full, "EXT-X-SKIP:") {
			t.Errorf("%s: full playlist\n%s", pl, full)
		}
		var skipped int
		_, skip, _ := strings.Cut(delta, "#EXT-X-SKIP:")
		if _, err := fmt.Sscanf(skip, "SKIPPED-SEGMENTS=%d", &skipped); err != nil || skipped < 1 {
			t.Fatalf("%s: delta update without EXT-X-SKIP (%v)\n%s", pl, err, delta)
		}
		if strings.Count(full, "#EXTINF:")-strings.Count(delta, "#EXTINF:") != skipped ||
			!strings.Contains(delta, lineWith(full, "#EXT-X-MEDIA-SEQUENCE:")) {
			t.Errorf("%s: skipped %d of\n%s\ndelta:\n%s", pl, skipped, full, delta)
		}
		_, tail, _ := strings.Cut(skip, "\n")
		if pl == "mono.ll.m3u8" && !strings.HasSuffix(full, tail) { // TS: no EXT-X-MAP repeated
			t.Errorf("%s: the delta update's tail differs from the full playlist's", pl)
		}
	}
	if got := get("/cam/mono.m3u8?_HLS_skip=YES"); strings.Contains(got, "EXT-X-SKIP") {
		t.Errorf("plain playlist skipped:\n%s", got)
	}
}

// lineWith returns the line of s that starts with prefix.
func lineWith(s, prefix string) string {
	for line := range strings.SplitSeq(s, "\n") {
		if strings.HasPrefix(line, prefix) {
			return line
		}
	}
	return "\x00none"
}

// TestFirstPartPlayable: a viewer that asks before the stream has any
// media gets the low-latency playlists (master, fMP4 track, TS) the moment
// the first part is published, listing it, and the part itself; the
// classic playlist waits for the first finished segment.
func TestFirstPartPlayable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := &fakeStream{}
		base, c := serveMem(t, New(Options{Streams: fakeStreams{"s": st}}))
		m := newManual(t, st)
		ll := map[string]<-chan answer{
			"master": getAsync(c, base+"/s/index.ll.m3u8"),
			"fmp4":   getAsync(c, base+"/s/track-0.ll.m3u8"),
			"ts":     getAsync(c, base+"/s/mono.ll.m3u8"),
		}
		classic := map[string]<-chan answer{"classic": getAsync(c, base+"/s/mono.m3u8")}
		synctest.Wait()
		pending(t, "before any part", ll)

		m.feedUntil(t, func(w *segment.Window) bool { return w.Partial != nil && len(w.Partial.Parts) == 1 })
		published := time.Now()
		synctest.Wait()
		want := map[string]string{"master": "track-0.ll.m3u8", "fmp4": `URI="seg-0.part-0.t0.m4s"`, "ts": `URI="seg-0.part-0.ts"`}
		for name, ch := range ll {
			var a answer
			select {
			case a = <-ch:
			default:
				t.Fatalf("%s: no answer once the first part appeared", name)
			}
			if a.resp.StatusCode != 200 || !a.at.Equal(published) || !strings.Contains(string(a.body), want[name]) {
				t.Errorf("%s: %d after %v, want 200 at once with %s:\n%s", name, a.resp.StatusCode, a.at.Sub(published), want[name], a.body)
			}
		}
		if resp, body := fetchWith(t, c, base+"/s/seg-0.part-0.t0.m4s"); resp.StatusCode != 200 || !box("moof")(body) {
			t.Errorf("first part: %d %.40q", resp.StatusCode, body)
		}
		pending(t, "before the first segment finished", classic)

		m.feedUntil(t, func(w *segment.Window) bool { return len(w.Segments) > 0 })
		synctest.Wait()
		select {
		case a := <-classic["classic"]:
			if a.resp.StatusCode != 200 || !strings.Contains(string(a.body), "seg-0.ts") {
				t.Errorf("classic: %d:\n%s", a.resp.StatusCode, a.body)
			}
		default:
			t.Fatal("classic: no answer once the first segment finished")
		}
	})
}
