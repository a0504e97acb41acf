package rtsp

import (
	"net"
	"sync"
	"testing"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"
)

// testCamera stands in for a camera or another origin: an RTSP server
// written with gortsplib's own server that takes one publisher (the real
// ffmpeg) and serves what it sends to readers, over TCP and UDP. None of
// our server code is involved.
type testCamera struct {
	addr string // host:port

	srv       *gortsplib.Server
	mu        sync.Mutex
	stream    *gortsplib.ServerStream
	publisher *gortsplib.ServerSession
}

func startCamera(t *testing.T) *testCamera {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	udp, err := listenUDPPair("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	c := &testCamera{addr: ln.Addr().String()}
	c.srv = &gortsplib.Server{
		Handler:        c,
		RTSPAddress:    c.addr,
		UDPRTPAddress:  udp.rtp.LocalAddr().String(),
		UDPRTCPAddress: udp.rtcp.LocalAddr().String(),
		Listen:         func(string, string) (net.Listener, error) { return ln, nil },
		ListenPacket:   udp.listenPacket,
	}
	if err := c.srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.srv.Close)
	return c
}

func (c *testCamera) OnAnnounce(ctx *gortsplib.ServerHandlerOnAnnounceCtx) (*base.Response, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stream = &gortsplib.ServerStream{Server: c.srv, Desc: ctx.Description}
	if err := c.stream.Initialize(); err != nil {
		return &base.Response{StatusCode: base.StatusBadRequest}, err
	}
	c.publisher = ctx.Session
	return &base.Response{StatusCode: base.StatusOK}, nil
}

func (c *testCamera) OnDescribe(*gortsplib.ServerHandlerOnDescribeCtx) (*base.Response, *gortsplib.ServerStream, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stream == nil {
		return &base.Response{StatusCode: base.StatusNotFound}, nil, nil
	}
	return &base.Response{StatusCode: base.StatusOK}, c.stream, nil
}

func (c *testCamera) OnSetup(ctx *gortsplib.ServerHandlerOnSetupCtx) (*base.Response, *gortsplib.ServerStream, error) {
	if ctx.Session.State() == gortsplib.ServerSessionStatePreRecord {
		return &base.Response{StatusCode: base.StatusOK}, nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stream == nil {
		return &base.Response{StatusCode: base.StatusNotFound}, nil, nil
	}
	return &base.Response{StatusCode: base.StatusOK}, c.stream, nil
}

func (c *testCamera) OnPlay(*gortsplib.ServerHandlerOnPlayCtx) (*base.Response, error) {
	return &base.Response{StatusCode: base.StatusOK}, nil
}

func (c *testCamera) OnRecord(ctx *gortsplib.ServerHandlerOnRecordCtx) (*base.Response, error) {
	c.mu.Lock()
	stream := c.stream
	c.mu.Unlock()
	ctx.Session.OnPacketRTPAny(func(medi *description.Media, _ format.Format, pkt *rtp.Packet) {
		_ = stream.WritePacketRTP(medi, pkt)
	})
	return &base.Response{StatusCode: base.StatusOK}, nil
}

func (c *testCamera) OnSessionClose(ctx *gortsplib.ServerHandlerOnSessionCloseCtx) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stream != nil && ctx.Session == c.publisher {
		c.stream.Close()
		c.stream = nil
	}
}

// publishing reports whether a publisher is recording.
func (c *testCamera) publishing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stream != nil
}
