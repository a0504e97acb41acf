package rtmp

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestPayloadsCopiedOnce: a real publisher's audio and video payloads are
// copied out of go-rtmp once, into buffers of their exact size: the
// guard's lengths match every message go-rtmp hands the handler, so the
// scratch buffer (a second copy of each payload) is never used.
func TestPayloadsCopiedOnce(t *testing.T) {
	hooks := newTestHooks("live1")
	srv, addr := startServerOf(t, hooks)
	src, _ := clipSource(t, time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- (&Pusher{}).Push(ctx, "rtmp://"+addr+"/live/live1", nil, src, new(atomic.Uint64)) }()
	p := waitPublication(t, hooks)
	if !mediatest.Eventually(5*time.Second, func() bool { _, frames := p.rec.snapshot(); return len(frames) >= 20 }) {
		t.Fatal("under 20 frames from the publisher")
	}
	conn := onlyConn(t, srv)
	cancel()
	<-done
	waitReleased(t, p) // the connection's handler has returned for good
	checkCopiedOnce(t, conn)
}

// startServerOf is startServer that returns the Server too.
func startServerOf(t *testing.T, hooks Hooks) (*Server, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{Hooks: hooks, Logger: slog.New(slog.NewTextHandler(&mediatest.LogBuffer{}, nil))}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Close)
	return srv, ln.Addr().String()
}

// onlyConn returns the server's one connection.
func onlyConn(t *testing.T, srv *Server) *serverConn {
	t.Helper()
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if len(srv.conns) != 1 {
		t.Fatalf("%d connections, want 1", len(srv.conns))
	}
	for c := range srv.conns {
		return c
	}
	return nil
}

// checkCopiedOnce fails unless no payload of c went through the scratch
// buffer. Call it once c's publication is released.
func checkCopiedOnce(t *testing.T, c *serverConn) {
	t.Helper()
	if n := cap(c.scratch); n != 0 {
		t.Errorf("payloads went through a %d-byte scratch buffer: copied twice", n)
	}
}

// When the guard's length and go-rtmp's message disagree (they never
// should), the payload is still copied whole and exactly.
func TestCopyPayloadWithWrongLength(t *testing.T) {
	payload := bytes.Repeat([]byte{1, 2, 3}, 1000)
	for _, c := range []struct {
		name   string
		length uint32
		ts     uint32
	}{
		{"exact", 3000, 7},
		{"longer than the guard saw", 2000, 7},
		{"shorter than the guard saw", 4000, 7},
		{"another message's", 3000, 8},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := &serverConn{}
			sc.lens.push(rtmpMessage{typeID: msgVideo, timestamp: c.ts, length: c.length})
			got, err := sc.copyPayload(msgVideo, 7, bytes.NewReader(payload))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, payload) || cap(got) != len(payload) {
				t.Errorf("got %d bytes (cap %d), want the %d of the payload", len(got), cap(got), len(payload))
			}
			if len(sc.lens.l) != 0 {
				t.Errorf("%d lengths left", len(sc.lens.l))
			}
		})
	}
}

// Lengths of messages the handler never sees (media before a publish)
// are skipped, and the queue stays bounded.
func TestMediaLensSkipAndBound(t *testing.T) {
	var q mediaLens
	for i := range 3 * maxMediaLens {
		q.push(rtmpMessage{typeID: msgAudio, timestamp: uint32(i), length: uint32(i + 1)})
	}
	if len(q.l) != maxMediaLens {
		t.Fatalf("%d lengths kept, want %d", len(q.l), maxMediaLens)
	}
	n, ok := q.take(msgAudio, uint32(3*maxMediaLens-2))
	if !ok || n != 3*maxMediaLens-1 || len(q.l) != 1 {
		t.Errorf("take = %d %v with %d left, want %d true with 1 left", n, ok, len(q.l), 3*maxMediaLens-1)
	}
	if _, ok := q.take(msgVideo, 0); ok || len(q.l) != 0 {
		t.Errorf("take of an unknown message = %v with %d left", ok, len(q.l))
	}
}
