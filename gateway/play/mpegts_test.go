package play

import (
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"streamhive/gateway/live"
	"streamhive/media/mediatest"
)

// TestMPEGTSFollowsNewSegmenter: when a stream's windows end and the
// stream started over (its actor restarted: a new segmenter, a new Stream
// from the locator), a continuous MPEG-TS viewer moves on to the new one's
// latest keyframe instead of ending.
func TestMPEGTSFollowsNewSegmenter(t *testing.T) {
	st := &fakeStream{}
	streams := fakeStreams{"s": st}
	h := New(Options{Streams: streams})
	defer h.Close()
	old := staticSegmenter(t, 5*time.Second)
	st.set(old)
	w := old.Window()
	end := tsPos{msn: w.NextMSN() + 1, part: 0} // past everything the old one will hold
	fresh := staticSegmenter(t, 3*time.Second)
	restarted := &fakeStream{}
	restarted.set(fresh)
	streams["s"] = restarted
	old.Close()

	next, got, why := h.nextTS(t.Context(), "s", st, end)
	if why != "" {
		t.Fatalf("ended: %s", why)
	}
	want, err := startPos(fresh.Window())
	if err != nil {
		t.Fatal(err)
	}
	if next != live.Stream(restarted) || got != want {
		t.Errorf("got %+v, want the new stream's latest keyframe %+v", got, want)
	}

	// Without a new one the viewer's response ends.
	streams["s"] = st
	if _, _, why := h.nextTS(t.Context(), "s", st, end); why != "stream ended" {
		t.Errorf("same stream: got %q, want stream ended", why)
	}
	delete(streams, "s")
	if _, _, why := h.nextTS(t.Context(), "s", st, end); why != "stream ended" {
		t.Errorf("stream gone: got %q, want stream ended", why)
	}
}

// TestStartPos: a viewer starts at the latest part that begins with a
// keyframe, in the segment in progress or a finished one.
func TestStartPos(t *testing.T) {
	sg := staticSegmenter(t, 7*time.Second)
	w := sg.Window()
	p, err := startPos(w)
	if err != nil {
		t.Fatal(err)
	}
	part := w.Part(p.msn, p.part)
	if part == nil || !part.Independent {
		t.Fatalf("start %+v: not an independent part", p)
	}
	for msn := p.msn; msn <= w.NextMSN(); msn++ {
		for i := 0; ; i++ {
			q := w.Part(msn, i)
			if q == nil {
				break
			}
			if (msn > p.msn || i > p.part) && q.Independent {
				t.Errorf("part %d.%d is independent and later than the start %d.%d", msn, i, p.msn, p.part)
			}
		}
	}
}

// TestMPEGTSStops: a continuous MPEG-TS response ends when its client goes
// away, and every one ends when the Handler closes.
func TestMPEGTSStops(t *testing.T) {
	t.Parallel()
	hr := newHarness(t)
	open := func() *http.Response {
		resp, err := http.Get(hr.base + "/live/bunny/mpegts")
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != typeTS {
			t.Fatalf("got %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		buf := make([]byte, 188*10)
		if _, err := io.ReadFull(resp.Body, buf); err != nil || !isTS(buf) {
			t.Fatalf("first packets: %v %x", err, buf[:8])
		}
		return resp
	}
	viewers := func(want int64) {
		t.Helper()
		mediatest.WaitFor(t, 5*time.Second, fmt.Sprintf("%d viewers streaming", want), func() bool {
			return hr.h.tsViewers.Load() == want
		})
	}
	a, b := open(), open()
	viewers(2)
	_ = a.Body.Close() // the client leaves: its writer ends at the next part
	viewers(1)
	hr.h.Close()
	viewers(0)
	if _, err := io.Copy(io.Discard, b.Body); err != nil {
		t.Errorf("after Close: %v, want a clean end of body", err)
	}
	_ = b.Body.Close()
}
