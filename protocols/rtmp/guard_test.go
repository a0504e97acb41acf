package rtmp

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yutopp/go-rtmp/handshake"
	"github.com/yutopp/go-rtmp/message"

	"streamhive/media/mediatest"
)

// TestServerRefusesHugeAMFArray: a client whose connect command object
// carries a strict array declaring 1.6 billion elements (a few bytes on
// the wire) has its connection closed; go-amf0 would have allocated 26 GB
// and killed the server. The server then still accepts a real publisher.
func TestServerRefusesHugeAMFArray(t *testing.T) {
	hooks := newTestHooks("live1")
	addr, _ := startServer(t, hooks)

	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = nc.Close() }()
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	if err := handshake.HandshakeWithServer(bufio.NewReader(nc), nc, &handshake.Config{}); err != nil {
		t.Fatalf("handshake: %v", err)
	}
	var cmd bytes.Buffer
	enc := message.NewAMFEncoder(&cmd, message.EncodingTypeAMF0)
	_ = enc.Encode("connect")
	_ = enc.Encode(1.0)
	// {"app": strict array of count 0x61333030 holding one null}
	cmd.Write([]byte{0x03, 0, 3, 'a', 'p', 'p', 0x0a, 'a', '3', '0', '0', 0x05, 0, 0, 0x09})
	if err := writeMessage(nc, 3, msgCommandAMF0, 0, cmd.Bytes()); err != nil {
		t.Fatal(err)
	}
	// The server closes the connection instead of answering.
	if _, err := io.Copy(io.Discard, nc); err != nil && !errors.Is(err, net.ErrClosed) && !strings.Contains(err.Error(), "reset") {
		t.Fatalf("reading after the bad command: %v", err)
	}

	// A real publisher (our pusher, with the test clip) still gets through.
	src, _ := clipSource(t, time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- (&Pusher{}).Push(ctx, "rtmp://"+addr+"/live/live1", nil, src, new(atomic.Uint64)) }()
	p := waitPublication(t, hooks)
	if !mediatest.Eventually(5*time.Second, func() bool { _, frames := p.rec.snapshot(); return len(frames) > 0 }) {
		t.Error("no frames from the publisher after the attack")
	}
	cancel()
	<-done
	waitReleased(t, p)
}
