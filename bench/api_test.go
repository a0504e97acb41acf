package bench

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/server"
	"streamhive/gateway"
	"streamhive/gateway/local"
)

// apiServer is a real server (actor tree + gateway) with n streams, on a
// loopback port, with its config in a temp file so PUTs persist as they do
// in production (temp file, fsync, rename).
type apiServer struct {
	base   string
	client *fasthttp.Client
}

func startAPI(b *testing.B, n int) *apiServer {
	b.Helper()
	var conf strings.Builder
	for i := range n {
		fmt.Fprintf(&conf, "stream s%05d { input publish://; title \"Stream %d\"; }\n", i, i)
	}
	path := filepath.Join(b.TempDir(), "streamhive.conf")
	if err := os.WriteFile(path, []byte(conf.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv, err := server.Start(server.Options{ConfigPath: path, Logger: log})
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	gw := gateway.New(gateway.Config{Control: local.Server{Server: srv}, Logger: log})
	go func() { _ = gw.Serve(ln) }() // ends at Shutdown; a failure shows as failed requests
	b.Cleanup(func() {
		_ = gw.Shutdown(b.Context())
		_ = srv.Stop(b.Context())
	})
	return &apiServer{
		base:   "http://" + ln.Addr().String() + "/streamer/api/v3",
		client: &fasthttp.Client{MaxConnsPerHost: 64, ReadTimeout: 30 * time.Second},
	}
}

// do sends one request and fails the benchmark on a non-200 answer.
func (s *apiServer) do(b *testing.B, method, path, body string) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.Header.SetMethod(method)
	req.SetRequestURI(s.base + path)
	if body != "" {
		req.SetBodyString(body)
	}
	if err := s.client.Do(req, resp); err != nil {
		b.Fatal(err)
	}
	if resp.StatusCode() != fasthttp.StatusOK {
		b.Fatalf("%s %s: %d %s", method, path, resp.StatusCode(), resp.Body())
	}
}

// parallelGET measures requests per second with 8 concurrent clients per
// core over real HTTP, the way a fleet of scripts and dashboards polls.
func parallelGET(b *testing.B, s *apiServer, path func(i int) string) {
	var i atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.do(b, "GET", path(int(i.Add(1))), "")
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}

func BenchmarkAPIGetStream(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("streams=%d", n), func(b *testing.B) {
			s := startAPI(b, n)
			parallelGET(b, s, func(i int) string { return fmt.Sprintf("/streams/s%05d", i%n) })
		})
	}
}

func BenchmarkAPIListStreams(b *testing.B) {
	for _, q := range []string{"limit=100", "limit=1000", "limit=100&sort=-name&stats.alive=false"} {
		b.Run(q, func(b *testing.B) {
			s := startAPI(b, 1000)
			parallelGET(b, s, func(int) string { return "/streams?" + q })
		})
	}
}

// BenchmarkAPIPutStream measures writes: each PUT is merged, validated,
// persisted with fsync and applied as a diff to the one changed stream.
// Writes are serialised by the config owner, so one client is the honest
// measure.
func BenchmarkAPIPutStream(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("streams=%d", n), func(b *testing.B) {
			s := startAPI(b, n)
			b.ResetTimer()
			start := time.Now()
			for i := 0; b.Loop(); i++ {
				s.do(b, "PUT", fmt.Sprintf("/streams/s%05d", i%n), fmt.Sprintf(`{"title":"t%d"}`, i))
			}
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
		})
	}
}
