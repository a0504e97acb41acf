package rtmp

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
)

// recorder is a media.Sink that keeps what it is given.
type recorder struct {
	mu     sync.Mutex
	tracks []media.Track
	frames []*media.Frame
}

func (r *recorder) WriteFrame(f *media.Frame) {
	r.mu.Lock()
	r.frames = append(r.frames, f)
	r.mu.Unlock()
}

func (r *recorder) snapshot() ([]media.Track, []*media.Frame) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tracks, append([]*media.Frame(nil), r.frames...)
}

// publication is one call of testHooks.Publish.
type publication struct {
	name     media.StreamName
	info     PublishInfo
	rec      *recorder
	released chan struct{}
}

// testHooks accepts publishers for the names in allow and reports each
// publication on pubs.
type testHooks struct {
	allow map[media.StreamName]bool
	pubs  chan *publication
}

func newTestHooks(names ...media.StreamName) *testHooks {
	h := &testHooks{allow: map[media.StreamName]bool{}, pubs: make(chan *publication, 8)}
	for _, n := range names {
		h.allow[n] = true
	}
	return h
}

var errNoSuchStream = errors.New("no such stream")

func (h *testHooks) Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error) {
	if !h.allow[name] {
		return nil, nil, errNoSuchStream
	}
	info, _ := PublishInfoFrom(ctx)
	p := &publication{name: name, info: info, rec: &recorder{tracks: tracks}, released: make(chan struct{})}
	h.pubs <- p
	return p.rec, func() { close(p.released) }, nil
}

// startServer runs a Server on 127.0.0.1:0 until the test ends.
func startServer(t *testing.T, hooks Hooks) (string, *mediatest.LogBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logs := &mediatest.LogBuffer{}
	srv := &Server{Hooks: hooks, Logger: slog.New(slog.NewTextHandler(logs, nil))}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return ln.Addr().String(), logs
}

func waitPublication(t *testing.T, h *testHooks) *publication {
	t.Helper()
	select {
	case p := <-h.pubs:
		return p
	case <-time.After(15 * time.Second):
		t.Fatal("no publication within 15 s")
		return nil
	}
}

func waitReleased(t *testing.T, p *publication) {
	t.Helper()
	select {
	case <-p.released:
	case <-time.After(15 * time.Second):
		t.Fatal("publication not released within 15 s")
	}
}
