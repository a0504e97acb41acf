package cluster

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A real gRPC server with the key's interceptors: a call with the key
// passes, unary and stream; one with another key, or none, is refused
// and the server's log names the caller, never the key.
func TestKeyInterceptors(t *testing.T) {
	var log syncBuffer
	srv := grpc.NewServer(keyServerOptions("right", slog.New(slog.NewTextHandler(&log, nil)))...)
	healthpb.RegisterHealthServer(srv, health.NewServer())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)

	call := func(opts ...grpc.DialOption) (unary, stream codes.Code) {
		opts = append(opts, grpc.WithTransportCredentials(insecure.NewCredentials()))
		conn, err := grpc.Dial(ln.Addr().String(), opts...)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = conn.Close() }()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c := healthpb.NewHealthClient(conn)
		_, err = c.Check(ctx, &healthpb.HealthCheckRequest{})
		unary = status.Code(err)
		w, err := c.Watch(ctx, &healthpb.HealthCheckRequest{})
		if err == nil {
			_, err = w.Recv()
		}
		return unary, status.Code(err)
	}
	if u, s := call(keyDialOption("right", func() string { return "10.0.0.9:9000" })); u != codes.OK || s != codes.OK {
		t.Errorf("right key: %v %v", u, s)
	}
	if u, s := call(keyDialOption("wrong", func() string { return "10.0.0.9:9000" })); u != codes.PermissionDenied || s != codes.PermissionDenied {
		t.Errorf("wrong key: %v %v", u, s)
	}
	if u, s := call(); u != codes.PermissionDenied || s != codes.PermissionDenied {
		t.Errorf("no key: %v %v", u, s)
	}
	out := log.String()
	if !strings.Contains(out, "refused a remote call") || !strings.Contains(out, "node=10.0.0.9:9000") || !strings.Contains(out, "peer=127.0.0.1:") {
		t.Errorf("log does not name the caller: %s", out)
	}
	if strings.Contains(out, "wrong") || strings.Contains(out, "right") {
		t.Errorf("log holds a key: %s", out)
	}
}
