package hlspull

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/protocols/mpegts/mpegtstest"
)

type result struct {
	rec   *mpegtstest.Recorder
	stats *media.InputStats
	err   error
	took  time.Duration
}

func pull(ctx context.Context, p Puller, url string, options map[string]string) result {
	r := result{rec: mpegtstest.NewRecorder(), stats: &media.InputStats{}}
	start := time.Now()
	r.err = p.Pull(media.WithInputStats(ctx, r.stats), url, options, r.rec.Publish)
	r.took = time.Since(start)
	return r
}

func hlsURL(srv *httptest.Server, path string) string {
	return "hls://" + strings.TrimPrefix(srv.URL, "http://") + path
}

// TestPullGarbageSegments: segments that are not media are counted, not
// fatal by themselves; the playlist's stall then fails the input.
func TestPullGarbageSegments(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/ts.m3u8", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\njunk.ts\n"))
	})
	mux.HandleFunc("/fmp4.m3u8", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:1,\njunk.m4s\n"))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(strings.Repeat("garbage!", 1000)))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	r := pull(context.Background(), Puller{}, hlsURL(srv, "/ts.m3u8"), nil)
	if !errors.Is(r.err, ErrStalled) || r.stats.TS.SyncErrors.Load() == 0 {
		t.Errorf("garbage TS: %v, %d sync errors", r.err, r.stats.TS.SyncErrors.Load())
	}
	r = pull(context.Background(), Puller{}, hlsURL(srv, "/fmp4.m3u8"), nil)
	if !errors.Is(r.err, errFMP4) {
		t.Errorf("garbage init section: %v, want errFMP4", r.err)
	}
}
