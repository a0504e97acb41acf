package vodstore

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/media/vod"
)

// origin serves content at /vod/movie.mp4 with ranges, counting requests;
// with plain set it ignores ranges (a server the storage must refuse).
func origin(t *testing.T, content []byte, plain bool) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != "/vod/movie.mp4" {
			http.NotFound(w, r)
			return
		}
		if plain {
			_, _ = w.Write(content)
			return
		}
		http.ServeContent(w, r, "movie.mp4", time.Time{}, bytes.NewReader(content))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func content(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

func TestHTTPReadsByRanges(t *testing.T) {
	want := content(2*BlockSize + 1234)
	srv, hits := origin(t, want, false)
	cache, err := OpenCache(t.TempDir(), 10*BlockSize, 1)
	must(t, err)
	h, err := OpenHTTP(srv.URL+"/vod/", nil, cache)
	must(t, err)
	f, err := h.Open(context.Background(), "movie.mp4")
	must(t, err)
	if f.Size() != int64(len(want)) {
		t.Fatalf("size %d, want %d", f.Size(), len(want))
	}
	got, err := io.ReadAll(io.NewSectionReader(f, 0, f.Size()))
	must(t, err)
	if !bytes.Equal(got, want) {
		t.Fatal("bytes differ")
	}
	if n := hits.Load(); n != 4 { // the size probe and three blocks
		t.Errorf("%d requests, want 4", n)
	}
	// A second reader of the same bytes reads the cache only.
	hits.Store(0)
	buf := make([]byte, 100)
	_, err = f.ReadAt(buf, BlockSize-50)
	must(t, err)
	if !bytes.Equal(buf, want[BlockSize-50:BlockSize+50]) {
		t.Error("cached bytes differ")
	}
	if hits.Load() != 0 {
		t.Errorf("%d requests for cached blocks", hits.Load())
	}
	if cache.Used() != int64(len(want)) {
		t.Errorf("cache holds %d bytes, want %d", cache.Used(), len(want))
	}
}

func TestCacheLimitAndMisses(t *testing.T) {
	want := content(3 * BlockSize)
	srv, hits := origin(t, want, false)
	cache, err := OpenCache(t.TempDir(), 2*BlockSize, 2)
	must(t, err)
	h, err := OpenHTTP(srv.URL+"/vod", nil, cache)
	must(t, err)
	f, err := h.Open(context.Background(), "movie.mp4")
	must(t, err)
	read := func() {
		t.Helper()
		_, err := io.ReadAll(io.NewSectionReader(f, 0, f.Size()))
		must(t, err)
	}
	read()
	if cache.Used() != 0 {
		t.Errorf("a block fetched once is kept (misses=2): %d bytes", cache.Used())
	}
	read()
	if cache.Used() != 2*BlockSize {
		t.Errorf("cache holds %d bytes, want its limit %d", cache.Used(), 2*BlockSize)
	}
	hits.Store(0)
	buf := make([]byte, 10)
	_, err = f.ReadAt(buf, 2*BlockSize) // the last block read: kept
	must(t, err)
	if hits.Load() != 0 {
		t.Errorf("the most recent block was evicted")
	}
}

// TestCacheExpiration: a kept block older than MaxAge (the cache line's
// expiration) is fetched from the origin again, then kept again.
func TestCacheExpiration(t *testing.T) {
	want := content(BlockSize)
	srv, hits := origin(t, want, false)
	cache, err := OpenCache(t.TempDir(), 4*BlockSize, 1)
	must(t, err)
	now := time.Unix(1000, 0)
	cache.now = func() time.Time { return now }
	cache.MaxAge = time.Hour
	h, err := OpenHTTP(srv.URL+"/vod", nil, cache)
	must(t, err)
	buf := make([]byte, 10)
	// A new viewer each time (a file holds its last block); opening costs
	// one request (the size probe), a block from the origin one more.
	readAt := func() {
		t.Helper()
		f, err := h.Open(context.Background(), "movie.mp4")
		must(t, err)
		defer func() { _ = f.Close() }()
		_, err = f.ReadAt(buf, 0)
		must(t, err)
	}
	readAt()
	hits.Store(0)
	now = now.Add(59 * time.Minute)
	readAt()
	if hits.Load() != 1 {
		t.Fatalf("a block younger than MaxAge went to the origin (%d requests, want the probe alone)", hits.Load())
	}
	hits.Store(0)
	now = now.Add(2 * time.Minute)
	readAt()
	if hits.Load() != 2 {
		t.Fatalf("an expired block: %d requests to the origin, want the probe and the block", hits.Load())
	}
	hits.Store(0)
	readAt()
	if hits.Load() != 1 || cache.Used() != BlockSize {
		t.Errorf("the block fetched again is not kept again (%d requests, %d bytes kept)", hits.Load(), cache.Used())
	}
}

func TestHTTPRefusals(t *testing.T) {
	srv, _ := origin(t, content(10), false)
	plain, _ := origin(t, content(10), true)
	ctx := context.Background()
	h, err := OpenHTTP(srv.URL+"/vod", nil, nil)
	must(t, err)
	if _, err := h.Open(ctx, "none.mp4"); !errors.Is(err, vod.ErrNotFound) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := h.Open(ctx, "../vod/movie.mp4"); !errors.Is(err, vod.ErrBadPath) {
		t.Errorf("..: %v", err)
	}
	p, err := OpenHTTP(plain.URL+"/vod", nil, nil)
	must(t, err)
	if _, err := p.Open(ctx, "movie.mp4"); err == nil || !strings.Contains(err.Error(), "answered 200") {
		t.Errorf("a server without ranges: %v", err)
	}
	for _, bad := range []string{"ftp://x/y", "/local/path", "http://"} {
		if _, err := OpenHTTP(bad, nil, nil); err == nil {
			t.Errorf("OpenHTTP(%q) accepted", bad)
		}
	}
	secret, err := OpenHTTP("http://user:hunter2@127.0.0.1:1/vod", &http.Client{Timeout: time.Second}, nil)
	must(t, err)
	if _, err := secret.Open(ctx, "movie.mp4"); err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %v shows the password", err)
	}
}

func FuzzParseContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-0/10", "bytes 5-9/10", "bytes */10", "bytes 9-5/10", "bytes 0-1/-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		r, err := ParseContentRange(h)
		if err != nil {
			return
		}
		if r.Start < 0 || r.End < r.Start || r.End >= r.Size || r.End-r.Start >= BlockSize {
			t.Fatalf("%q gave %+v", h, r)
		}
	})
}
