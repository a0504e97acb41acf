package rtsp

import (
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// startServer runs a Server on a free loopback port and returns its
// address.
func startServer(t *testing.T, hooks Hooks, logs *mediatest.LogBuffer) string {
	t.Helper()
	return startServerOn(t, "127.0.0.1:0", hooks, logs)
}

// startServerOn runs a Server on address and returns the loopback address
// to reach it at.
func startServerOn(t *testing.T, address string, hooks Hooks, logs *mediatest.LogBuffer) string {
	t.Helper()
	ln, err := net.Listen("tcp", address)
	if err != nil {
		t.Fatal(err)
	}
	srv := &Server{Hooks: hooks, Logger: debugLogger(logs)}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve = %v, want ErrServerClosed", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
}

// TestServerSurvivesGarbage: connections that send bytes that are not
// RTSP, or stop mid-request, are closed; the server keeps answering.
func TestServerSurvivesGarbage(t *testing.T) {
	hooks, logs := &fakeHooks{}, &mediatest.LogBuffer{}
	addr := startServer(t, hooks, logs)
	for _, junk := range []string{
		"\x00\x01\x02\x03\xff\xfe",
		"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
		"ANNOUNCE rtsp://" + addr + "/cam RTSP/1.0\r\nCSeq: 1\r\nContent-Type: application/sdp\r\nContent-Length: 12\r\n\r\nv=0\r\nm=junk",
		"ANNOUNCE rtsp://" + addr + "/cam RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 99999999\r\n\r\n",
		"SETUP rtsp://" + addr + "/cam/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP/TCP;interleaved=0-1\r\n\r\n",
		"RECORD rtsp://" + addr + "/cam RTSP/1.0\r\nCSeq: 1\r\n\r\n",
		"$\x00\x00\x10garbage",
	} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		_ = c.SetDeadline(time.Now().Add(300 * time.Millisecond)) // some junk is answered, some waited on
		_, _ = c.Write([]byte(junk))
		_, _ = c.Read(make([]byte, 1024))
		_ = c.Close()
	}
	// The server still answers a well-formed request.
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := c.Write([]byte("OPTIONS rtsp://" + addr + "/cam RTSP/1.0\r\nCSeq: 1\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1024)
	n, _ := c.Read(buf)
	if !strings.HasPrefix(string(buf[:n]), "RTSP/1.0 200") {
		t.Errorf("OPTIONS answered %q", buf[:n])
	}
	if pubs, _ := hooks.state(); len(pubs) != 0 {
		t.Errorf("garbage published %d times", len(pubs))
	}
}
