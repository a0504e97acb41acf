package bench

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
)

// BenchmarkMetrics measures GET /metrics on a real server with 10,000
// configured streams (publish:// inputs: every stream's actor runs and
// waits, so each writes its per-stream and per-input families), one
// scraper at a time as Prometheus scrapes.
func BenchmarkMetrics(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("streams=%d", n), func(b *testing.B) {
			s := startAPI(b, n)
			url := strings.TrimSuffix(s.base, "/streamer/api/v3") + "/metrics"
			var body []byte
			waitStreams(b, s, url, n)
			b.ResetTimer()
			start := time.Now()
			for b.Loop() {
				code, got, err := s.client.Get(body[:0], url)
				if err != nil || code != fasthttp.StatusOK {
					b.Fatalf("GET /metrics: %d %v", code, err)
				}
				body = got
			}
			b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/scrape")
			b.ReportMetric(float64(len(body))/1e6, "MB/page")
		})
	}
}

// waitStreams waits until the page has every stream's bitrate line.
func waitStreams(b *testing.B, s *apiServer, url string, n int) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, page, err := s.client.Get(nil, url)
		if err == nil && bytes.Count(page, []byte("\nstream_bitrate{")) >= n {
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("the page has %d of %d streams", bytes.Count(page, []byte("\nstream_bitrate{")), n)
		}
		time.Sleep(100 * time.Millisecond) // a benchmark's setup, not a test's synchronisation
	}
}
