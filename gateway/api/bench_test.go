package api

import (
	"net"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/api/apitest"
	"streamhive/media"
	"streamhive/media/stats"
)

// benchAPI returns an API over n streams, every one running with stats.
func benchAPI(b *testing.B, n int) (*API, *apitest.Control) {
	b.Helper()
	cfg := manyStreams(b, n)
	ctl := apitest.New(cfg)
	for i := range cfg.Streams {
		ctl.SetStats(cfg.Streams[i].Name, &stats.Stream{
			Alive: i%3 != 0, State: "running", Lifetime: time.Duration(i) * time.Second,
			Started: time.UnixMilli(1700000000000), Bitrate: (2500 + i) * 1000,
			Inputs: []stats.Input{{State: "running", Bytes: int64(i) << 20}},
			Tracks: []stats.Track{
				{Codec: media.CodecH264, Width: 1280, Height: 720, FPS: 25},
				{Codec: media.CodecAAC, SampleRate: 48000, Channels: 2},
			},
		})
	}
	return New(Options{Control: ctl}), ctl
}

// serveBench runs a.Serve on a prepared RequestCtx, as the fasthttp
// server does after parsing a request: the handler's cost alone.
func serveBench(b *testing.B, a *API, uri string) {
	b.Helper()
	var rc fasthttp.RequestCtx
	rc.Init(&fasthttp.Request{}, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, nil)
	rc.Request.SetRequestURI(uri)
	rc.Request.Header.SetMethod(fasthttp.MethodGet)
	a.Serve(&rc) // warm the snapshot and the item JSON
	if rc.Response.StatusCode() != fasthttp.StatusOK {
		b.Fatalf("status %d: %s", rc.Response.StatusCode(), rc.Response.Body())
	}
	size := len(rc.Response.Body())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rc.Response.Reset()
		a.Serve(&rc)
	}
	b.ReportMetric(float64(size), "resp_bytes")
}

func BenchmarkGetStream(b *testing.B) {
	a, _ := benchAPI(b, 1000)
	serveBench(b, a, Prefix+"streams/s0500")
}

func BenchmarkListStreams(b *testing.B) {
	a, _ := benchAPI(b, 1000)
	b.Run("limit=100", func(b *testing.B) { serveBench(b, a, Prefix+"streams") })
	b.Run("limit=1000", func(b *testing.B) { serveBench(b, a, Prefix+"streams?limit=1000") })
	b.Run("filter+sort", func(b *testing.B) {
		serveBench(b, a, Prefix+"streams?stats.alive=true&sort=-stats.lifetime&limit=100")
	})
	b.Run("select", func(b *testing.B) { serveBench(b, a, Prefix+"streams?select=name,stats.alive&limit=1000") })
}

// BenchmarkGetStreamHTTP is GET /streams/{name} through a real fasthttp
// server and client over an in-memory listener.
func BenchmarkGetStreamHTTP(b *testing.B) {
	cfg := manyStreams(b, 1000)
	h := newHarness(b, cfg)
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://api" + Prefix + "streams/s0500")
	b.ReportAllocs()
	for b.Loop() {
		if err := h.client.Do(req, resp); err != nil || resp.StatusCode() != fasthttp.StatusOK {
			b.Fatalf("%v %d", err, resp.StatusCode())
		}
	}
}
