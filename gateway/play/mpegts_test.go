package play

import (
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestMPEGTSFollowsNewSegmenter: when a stream's segmenter ends and the
// stream has a new one (its actor restarted), a continuous MPEG-TS viewer
// moves on to the new one's latest keyframe instead of ending.
func TestMPEGTSFollowsNewSegmenter(t *testing.T) {
	st := &fakeStream{}
	h := New(Options{Streams: fakeStreams{"s": st}})
	defer h.Close()
	old := staticSegmenter(t, 5*time.Second)
	st.seg.Store(old)
	w := old.Window()
	end := tsPos{sg: old, msn: w.NextMSN() + 1, part: 0} // past everything the old one will hold
	fresh := staticSegmenter(t, 3*time.Second)
	st.seg.Store(fresh)
	old.Close()

	got, why := h.nextTS(st, end)
	if why != "" {
		t.Fatalf("ended: %s", why)
	}
	want, err := startPos(fresh, fresh.Window())
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("got %+v, want the new segmenter's latest keyframe %+v", got, want)
	}

	// Without a new segmenter the viewer's response ends.
	st.seg.Store(old)
	if _, why := h.nextTS(st, end); why != "stream ended" {
		t.Errorf("same segmenter: got %q, want stream ended", why)
	}
}

// TestStartPos: a viewer starts at the latest part that begins with a
// keyframe, in the segment in progress or a finished one.
func TestStartPos(t *testing.T) {
	sg := staticSegmenter(t, 7*time.Second)
	w := sg.Window()
	p, err := startPos(sg, w)
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
