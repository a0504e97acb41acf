package play

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
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

// getAsync fetches url on another goroutine; the answer arrives on the
// channel. A transport error comes as a 599 response to keep callers short.
func getAsync(url string) <-chan answer {
	got := make(chan answer, 1)
	go func() {
		a := answer{resp: &http.Response{StatusCode: 599}}
		resp, err := http.Get(url)
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

// TestBlockingReloadAnswersWhenPartAppears: a blocking reload for the next
// part does not return while the part is missing, and returns promptly
// once the segmenter publishes it, with the part in the playlist. The same
// holds for a request of the part itself (the preload hint).
func TestBlockingReloadAnswersWhenPartAppears(t *testing.T) {
	st := &fakeStream{}
	base := serve(t, New(Options{Streams: fakeStreams{"s": st}}))
	m := newManual(t, st)
	// One finished segment, and the next with one part: part 1 comes next.
	m.feedUntil(t, func(w *segment.Window) bool {
		return len(w.Segments) > 0 && w.Partial != nil && len(w.Partial.Parts) == 1
	})
	msn := m.sg.Window().Partial.MSN
	reload := getAsync(fmt.Sprintf("%s/s/track-0.ll.m3u8?_HLS_msn=%d&_HLS_part=1", base, msn))
	hint := getAsync(fmt.Sprintf("%s/s/seg-%d.part-1.t0.m4s", base, msn))
	tsHint := getAsync(fmt.Sprintf("%s/s/seg-%d.part-1.ts", base, msn))

	select {
	case a := <-reload:
		t.Fatalf("reload answered %d before the part existed", a.resp.StatusCode)
	case a := <-hint:
		t.Fatalf("part answered %d before it existed", a.resp.StatusCode)
	case <-time.After(300 * time.Millisecond):
	}

	m.feedUntil(t, func(w *segment.Window) bool { return w.Has(msn, 1) })
	published := time.Now()
	uri := fmt.Sprintf(`URI="seg-%d.part-1.t0.m4s"`, msn)
	for name, ch := range map[string]<-chan answer{"reload": reload, "hint": hint, "ts hint": tsHint} {
		select {
		case a := <-ch:
			if lag := a.at.Sub(published); lag > 500*time.Millisecond {
				t.Errorf("%s: answered %v after the part appeared", name, lag)
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
		case <-time.After(3 * time.Second):
			t.Fatalf("%s: no answer after the part appeared", name)
		}
	}
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
	st := &fakeStream{}
	base := serve(t, New(Options{Streams: fakeStreams{"s": st}}))
	m := newManual(t, st)
	m.feedUntil(t, func(w *segment.Window) bool {
		return len(w.Segments) > 0 && w.Partial != nil && len(w.Partial.Parts) == 1
	})
	w := m.sg.Window()
	last := w.Partial.MSN // the in-progress segment is the playlist's last
	for _, q := range []string{
		fmt.Sprintf("_HLS_msn=%d", last+3),
		fmt.Sprintf("_HLS_msn=%d&_HLS_part=0", last+3),
		fmt.Sprintf("_HLS_msn=%d&_HLS_part=%d", last, len(w.Partial.Parts)+3),
	} {
		start := time.Now()
		resp, body := fetch(t, base+"/s/track-0.ll.m3u8?"+q)
		if resp.StatusCode != 400 || time.Since(start) > 200*time.Millisecond {
			t.Errorf("%s: got %d after %v, want 400 at once: %s", q, resp.StatusCode, time.Since(start), body)
		}
	}
	// Within the limit: blocks (and is answered when the segmenter ends).
	blocked := getAsync(fmt.Sprintf("%s/s/track-0.ll.m3u8?_HLS_msn=%d", base, last+2))
	select {
	case a := <-blocked:
		t.Fatalf("msn last+2 answered %d at once, want a blocking wait", a.resp.StatusCode)
	case <-time.After(200 * time.Millisecond):
	}
	m.sg.Close()
	select {
	case a := <-blocked:
		if a.resp.StatusCode != 200 || !strings.Contains(string(a.body), "#EXT-X-ENDLIST") {
			t.Errorf("after close: got %d %s, want the ended playlist", a.resp.StatusCode, a.body)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("blocked reload not answered after the segmenter closed")
	}
}
