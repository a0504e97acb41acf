package srt

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/protocols/mpegts/mpegtstest"
)

// fakeHooks admits the streams it lists and records what they publish.
type fakeHooks struct {
	mu       sync.Mutex
	streams  map[media.StreamName]*mpegtstest.Recorder
	released map[media.StreamName]int
	stats    map[media.StreamName]*media.InputStats
}

func newFakeHooks(names ...media.StreamName) *fakeHooks {
	h := &fakeHooks{
		streams:  map[media.StreamName]*mpegtstest.Recorder{},
		released: map[media.StreamName]int{}, stats: map[media.StreamName]*media.InputStats{},
	}
	for _, n := range names {
		h.streams[n] = mpegtstest.NewRecorder()
	}
	return h
}

var errNoStream = errors.New("no such stream")

func (h *fakeHooks) Admit(_ context.Context, name media.StreamName, _ net.Addr) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.streams[name]; !ok {
		return Reject(ReasonNotFound, errNoStream)
	}
	return nil
}

func (h *fakeHooks) Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	rec := h.streams[name]
	h.stats[name] = media.InputStatsFrom(ctx)
	sink, err := rec.Publish(tracks)
	release := func() {
		h.mu.Lock()
		h.released[name]++
		h.mu.Unlock()
	}
	return sink, release, err
}

func (h *fakeHooks) releases(name media.StreamName) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.released[name]
}

func (h *fakeHooks) statsOf(name media.StreamName) *media.InputStats {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.stats[name]
}

// startServer runs a Server on a free loopback port until the test ends.
// Each of with sets a field before Serve starts.
func startServer(t *testing.T, hooks Hooks, passphrase string, with ...func(*Server)) (*Server, *mediatest.LogBuffer) {
	t.Helper()
	logs := &mediatest.LogBuffer{}
	s := &Server{
		Hooks: hooks, Passphrase: passphrase,
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, f := range with {
		f(s)
	}
	if err := s.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve() }()
	t.Cleanup(func() {
		s.Close()
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve = %v, want ErrServerClosed", err)
		}
	})
	return s, logs
}

// clip is a few seconds of H.264 and AAC in MPEG-TS, made once.
func clip(t *testing.T) []byte {
	t.Helper()
	return mpegtstest.H264AAC(t, "2")
}

// srtURL is a caller URL for ffmpeg.
func srtURL(addr net.Addr, streamid, passphrase string) string {
	q := []string{"streamid=" + streamid}
	if passphrase != "" {
		q = append(q, "passphrase="+passphrase)
	}
	return "srt://" + addr.String() + "?" + strings.Join(q, "&")
}
