package play

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/gateway/live"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

// windowStream is a live.Stream with no segmenter behind it: windows built
// by hand, published by the test, and waits of its own, as a stream on
// another node would be served from windows it receives. Its windows'
// Changed channels are nil: the handlers must not need them.
type windowStream struct {
	noControl
	mu      sync.Mutex
	cur     *segment.Window
	changed chan struct{} // closed by the next publish
}

var _ live.Stream = (*windowStream)(nil)

func newWindowStream(w *segment.Window) *windowStream {
	return &windowStream{cur: w, changed: make(chan struct{})}
}

// publish makes w the current window and wakes the waiters.
func (s *windowStream) publish(w *segment.Window) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur = w
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *windowStream) current() (*segment.Window, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cur, s.changed
}

func (s *windowStream) Window() *segment.Window {
	w, _ := s.current()
	return w
}

func (s *windowStream) Next(ctx context.Context, w *segment.Window) (*segment.Window, error) {
	for {
		cur, changed := s.current()
		if cur != w {
			return cur, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Wait keeps segment.Segmenter.Wait's semantics without a segmenter.
func (s *windowStream) Wait(ctx context.Context, msn uint64, part int) error {
	for {
		w, changed := s.current()
		switch {
		case w.Has(msn, part):
			return nil
		case w.Ended:
			return segment.ErrClosed
		case w.TooFarAhead(msn, part):
			return segment.ErrTooFarAhead
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *windowStream) Media(_ context.Context, ref hls.Ref) ([]byte, error) {
	return ref.In(s.Window()), nil
}

func (s *windowStream) Enabled(string) bool                     { return true }
func (s *windowStream) Preview(context.Context) ([]byte, error) { return nil, live.ErrNotProducing }

// handWindow builds a TS-only window by hand: finished segments 0..done-1
// of four 500 ms parts each, and `parts` parts of segment `done` in
// progress. Each part's bytes name it ("s1p2"); a segment's are its parts'.
func handWindow(version uint64, done, parts int) *segment.Window {
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	mk := func(msn, n int) *segment.Segment {
		s := &segment.Segment{MSN: uint64(msn), DTS: time.Duration(msn) * 2 * time.Second}
		s.ProgramDateTime = t0.Add(s.DTS)
		for i := range n {
			p := &segment.Part{
				Index: i, DTS: s.DTS + time.Duration(i)*500*time.Millisecond, Duration: 500 * time.Millisecond,
				Independent: i == 0,
			}
			s.Parts = append(s.Parts, p.WithTS(fmt.Appendf(nil, "s%dp%d", msn, i)))
			s.Duration += p.Duration
		}
		return s
	}
	w := &segment.Window{Version: version, TargetDuration: 2 * time.Second, PartTarget: 500 * time.Millisecond}
	for msn := range done {
		s := mk(msn, 4)
		var ts []byte
		for _, p := range s.Parts {
			ts = append(ts, p.MPEGTS()...)
		}
		s.WithTS(ts)
		w.Segments = append(w.Segments, s)
	}
	w.Partial = mk(done, parts)
	return w
}

// TestHandWrittenStream: the handlers serve a stream through live.Stream
// alone: a playlist, a segment, a part, and an LL-HLS blocking reload
// (and a part requested ahead) that wait for the stream's own publish, and
// a reload too far ahead refused from its Wait's ErrTooFarAhead.
func TestHandWrittenStream(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := newWindowStream(handWindow(1, 3, 1))
		base, c := serveMem(t, New(Options{Streams: arcStreams{"remote": st}, ReadyTimeout: 5 * time.Second}))
		get := func(path string) (*http.Response, []byte) { return fetchWith(t, c, base+path) }

		resp, body := get("/remote/mono.ll.m3u8")
		checkResponse(t, resp, body, 200, typeM3U8, cacheNone, and(has("#EXT-X-MEDIA-SEQUENCE:0"), has("seg-2.ts"), has("seg-3.part-0.ts"), has(`PRELOAD-HINT:TYPE=PART,URI="seg-3.part-1.ts"`)))
		resp, body = get("/remote/seg-1.ts")
		checkResponse(t, resp, body, 200, typeTS, cacheSegment, equals("s1p0s1p1s1p2s1p3"))
		resp, body = get("/remote/seg-3.part-0.ts")
		checkResponse(t, resp, body, 200, typeTS, cacheSegment, equals("s3p0"))
		resp, body = get("/remote/mono.ll.m3u8?_HLS_msn=9")
		checkResponse(t, resp, body, 400, "", "", nil)

		reload := getAsync(c, base+"/remote/mono.ll.m3u8?_HLS_msn=3&_HLS_part=1")
		ahead := getAsync(c, base+"/remote/seg-3.part-1.ts")
		// Both wait for the stream's publish: not answered once every
		// goroutine is blocked, nor after 300 ms of (fake) time.
		for _, wait := range []time.Duration{0, 300 * time.Millisecond} {
			time.Sleep(wait)
			synctest.Wait()
			select {
			case a := <-reload:
				t.Fatalf("blocking reload answered %d before the part exists", a.resp.StatusCode)
			case a := <-ahead:
				t.Fatalf("part answered %d before it exists", a.resp.StatusCode)
			default:
			}
		}
		st.publish(handWindow(2, 3, 2))
		synctest.Wait() // no time passes: the publish alone answers both
		for _, got := range []<-chan answer{reload, ahead} {
			select {
			case a := <-got:
				if a.err != nil {
					t.Fatal(a.err)
				}
				if strings.HasSuffix(a.resp.Request.URL.Path, ".ts") {
					checkResponse(t, a.resp, a.body, 200, typeTS, cacheSegment, equals("s3p1"))
				} else {
					checkResponse(t, a.resp, a.body, 200, typeM3U8, cacheNone, and(has("seg-3.part-1.ts"), has(`URI="seg-3.part-2.ts"`)))
				}
			default:
				t.Fatal("no answer once the stream published the part")
			}
		}
	})
}

func equals(want string) func([]byte) bool {
	return func(b []byte) bool { return string(b) == want }
}
