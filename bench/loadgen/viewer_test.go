package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeOrigin serves a master playlist, a media playlist whose window the
// test sets, and segments: seg-N.ts is MPEG-TS unless N is in bad.
type fakeOrigin struct {
	mu     sync.Mutex
	first  int
	count  int
	bad    map[int]bool
	served map[string]int
}

func (o *fakeOrigin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.served[r.URL.Path]++
	switch {
	case r.URL.Path == "/s1/index.m3u8":
		if o.count == 0 {
			http.Error(w, "not yet", http.StatusServiceUnavailable)
			return
		}
		_, _ = fmt.Fprint(w, "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nmono.m3u8\n")
	case r.URL.Path == "/s1/mono.m3u8":
		_, _ = fmt.Fprintf(w, "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:%d\n", o.first)
		for n := o.first; n < o.first+o.count; n++ {
			_, _ = fmt.Fprintf(w, "#EXTINF:2.0,\nseg-%d.ts\n", n)
		}
	case strings.HasPrefix(r.URL.Path, "/s1/seg-"):
		var n int
		_, _ = fmt.Sscanf(r.URL.Path, "/s1/seg-%d.ts", &n)
		if o.bad[n] {
			_, _ = fmt.Fprint(w, "<html>")
			return
		}
		_, _ = w.Write(append([]byte{tsSync}, make([]byte, 187)...))
	default:
		http.NotFound(w, r)
	}
}

func (o *fakeOrigin) set(first, count int) {
	o.mu.Lock()
	o.first, o.count = first, count
	o.mu.Unlock()
}

func TestViewerFetchesEachNewSegmentOnce(t *testing.T) {
	o := &fakeOrigin{bad: map[int]bool{12: true}, served: map[string]int{}}
	srv := httptest.NewServer(o)
	defer srv.Close()
	var c counters
	v := &viewer{client: srv.Client(), master: srv.URL + "/s1/index.m3u8", c: &c}
	ctx := context.Background()

	o.set(0, 5)
	media, err := v.variant(ctx)
	if err != nil || media != srv.URL+"/s1/mono.m3u8" {
		t.Fatalf("variant = %q, %v", media, err)
	}
	step := func(next int64) int64 {
		pl, err := fetchMedia(ctx, v.client, media)
		if err != nil {
			t.Fatal(err)
		}
		return v.fetchNew(ctx, media, pl, next)
	}
	next := step(-1) // live edge: 2, 3, 4
	if next != 5 {
		t.Fatalf("next = %d, want 5", next)
	}
	o.set(1, 5)       // 5 is new
	next = step(next) // 5
	o.set(10, 5)      // 6..9 slid out, 12 is not TS
	next = step(next) // 10..14
	got := c.snapshot()
	want := counts{segments: 3 + 1 + 4, segErrors: 1, missed: 4, bytes: 8 * 188}
	if got != want || next != 15 {
		t.Errorf("counts = %+v next %d, want %+v next 15", got, next, want)
	}
	for _, n := range []int{2, 3, 4, 5, 10, 11, 13, 14} {
		if k := o.served[fmt.Sprintf("/s1/seg-%d.ts", n)]; k != 1 {
			t.Errorf("seg-%d fetched %d times, want once", n, k)
		}
	}
	if o.served["/s1/seg-1.ts"] != 0 {
		t.Error("fetched a segment behind the live edge")
	}
}

func TestAwaitPlayable(t *testing.T) {
	o := &fakeOrigin{bad: map[int]bool{}, served: map[string]int{}}
	srv := httptest.NewServer(o)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()

	done := make(chan error, 1)
	go func() {
		_, err := awaitPlayable(ctx, srv.Client(), srv.URL+"/s1/index.m3u8", time.Millisecond)
		done <- err
	}()
	// Not playable until the master answers 200 with a segment listed.
	for {
		o.mu.Lock()
		polled := o.served["/s1/index.m3u8"]
		o.mu.Unlock()
		if polled >= 3 {
			break
		}
		if !sleep(ctx, time.Millisecond) {
			t.Fatal("awaitPlayable never polled")
		}
	}
	select {
	case err := <-done:
		t.Fatalf("playable before any segment: %v", err)
	default:
	}
	o.set(0, 1)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
