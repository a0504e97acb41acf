package benchkit

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"streamhive/media"
)

// A viewer of a six-segment window downloads the three at the live edge,
// once each, and counts them.
func TestPlayHLSStartsThreeSegmentsFromTheLiveEdge(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "index.m3u8"):
			_, _ = fmt.Fprint(w, "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nmono.m3u8\n")
		case strings.HasSuffix(r.URL.Path, "mono.m3u8"):
			_, _ = fmt.Fprint(w, "#EXTM3U\n")
			for i := range 6 {
				_, _ = fmt.Fprintf(w, "#EXTINF:2,\nseg-%d.ts\n", i)
			}
		default:
			mu.Lock()
			asked = append(asked, strings.TrimPrefix(r.URL.Path, "/s/"))
			mu.Unlock()
			_, _ = fmt.Fprint(w, "media")
		}
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	var got media.InputStats
	if err := PlayHLS(ctx, srv.URL+"/s/index.m3u8", &got); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"seg-3.ts", "seg-4.ts", "seg-5.ts"}; !slices.Equal(asked, want) {
		t.Errorf("segments asked %v, want %v", asked, want)
	}
	if n := got.Frames.Load(); n != 3 {
		t.Errorf("%d segments counted, want 3", n)
	}
}
