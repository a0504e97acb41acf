// Package rtsptest has RTSP test peers for the tests of the packages that
// use protocols/rtsp: a camera (an RTSP server written with gortsplib's own
// server, none of our code) and the ffmpeg command lines that feed it.
package rtsptest

import (
	"context"
	"net"
	"os/exec"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"
)

// Camera stands in for an IP camera or another origin: it takes one
// publisher (the real ffmpeg, see FFmpeg) and serves what it sends on
// every path to any number of readers, over TCP and UDP. Each path has
// its own gortsplib ServerStream, so readers of different paths may start
// together; readers of one path must SETUP one after another (gortsplib's
// ServerStream races between readers that SETUP at the same moment).
type Camera struct {
	// Addr is host:port of its RTSP port.
	Addr string

	srv       *gortsplib.Server
	mu        sync.Mutex
	desc      *description.Session // the publisher's; nil while nobody publishes
	publisher *gortsplib.ServerSession
	streams   map[string]*gortsplib.ServerStream // by path
}

// StartCamera runs a camera on loopback until the test ends.
func StartCamera(t testing.TB) *Camera {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rtpConn, rtcpConn := udpPair(t)
	c := &Camera{Addr: ln.Addr().String(), streams: map[string]*gortsplib.ServerStream{}}
	c.srv = &gortsplib.Server{
		Handler:        c,
		RTSPAddress:    c.Addr,
		UDPRTPAddress:  rtpConn.LocalAddr().String(),
		UDPRTCPAddress: rtcpConn.LocalAddr().String(),
		Listen:         func(string, string) (net.Listener, error) { return ln, nil },
		ListenPacket: func(_, address string) (net.PacketConn, error) {
			if address == rtpConn.LocalAddr().String() {
				return rtpConn, nil
			}
			return rtcpConn, nil
		},
	}
	if err := c.srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.srv.Close)
	return c
}

// udpPair opens consecutive loopback UDP ports, the first even.
func udpPair(t testing.TB) (*net.UDPConn, *net.UDPConn) {
	t.Helper()
	for range 32 {
		a, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		port := a.LocalAddr().(*net.UDPAddr).Port
		if port%2 == 0 {
			if b, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port + 1}); err == nil {
				return a, b
			}
		}
		_ = a.Close()
	}
	t.Fatal("no free even/odd UDP port pair")
	return nil, nil
}

// Publishing reports whether a publisher is recording into the camera.
func (c *Camera) Publishing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.desc != nil
}

// WaitPublishing waits up to d for a publisher, failing the test after.
func (c *Camera) WaitPublishing(t testing.TB, d time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(d); !c.Publishing(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("nobody published into the camera within %v", d)
		}
	}
}

// streamFor returns path's stream, creating it; nil while nobody
// publishes. c.mu must be held.
func (c *Camera) streamFor(path string) *gortsplib.ServerStream {
	if c.desc == nil {
		return nil
	}
	if st, ok := c.streams[path]; ok {
		return st
	}
	st := &gortsplib.ServerStream{Server: c.srv, Desc: c.desc}
	if err := st.Initialize(); err != nil {
		return nil
	}
	c.streams[path] = st
	return st
}

// closeStreams ends every path's stream. c.mu must be held.
func (c *Camera) closeStreams() {
	for path, st := range c.streams {
		st.Close()
		delete(c.streams, path)
	}
}

// OnAnnounce implements gortsplib.ServerHandlerOnAnnounce: a new publisher
// replaces the old one.
func (c *Camera) OnAnnounce(ctx *gortsplib.ServerHandlerOnAnnounceCtx) (*base.Response, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closeStreams()
	c.desc, c.publisher = ctx.Description, ctx.Session
	return &base.Response{StatusCode: base.StatusOK}, nil
}

// OnDescribe implements gortsplib.ServerHandlerOnDescribe.
func (c *Camera) OnDescribe(ctx *gortsplib.ServerHandlerOnDescribeCtx) (*base.Response, *gortsplib.ServerStream, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.streamFor(ctx.Path); st != nil {
		return &base.Response{StatusCode: base.StatusOK}, st, nil
	}
	return &base.Response{StatusCode: base.StatusNotFound}, nil, nil
}

// OnSetup implements gortsplib.ServerHandlerOnSetup.
func (c *Camera) OnSetup(ctx *gortsplib.ServerHandlerOnSetupCtx) (*base.Response, *gortsplib.ServerStream, error) {
	if ctx.Session.State() == gortsplib.ServerSessionStatePreRecord {
		return &base.Response{StatusCode: base.StatusOK}, nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st := c.streamFor(ctx.Path); st != nil {
		return &base.Response{StatusCode: base.StatusOK}, st, nil
	}
	return &base.Response{StatusCode: base.StatusNotFound}, nil, nil
}

// OnPlay implements gortsplib.ServerHandlerOnPlay.
func (c *Camera) OnPlay(*gortsplib.ServerHandlerOnPlayCtx) (*base.Response, error) {
	return &base.Response{StatusCode: base.StatusOK}, nil
}

// OnRecord implements gortsplib.ServerHandlerOnRecord: what the publisher
// sends goes to every path's readers.
func (c *Camera) OnRecord(ctx *gortsplib.ServerHandlerOnRecordCtx) (*base.Response, error) {
	ctx.Session.OnPacketRTPAny(func(medi *description.Media, _ format.Format, pkt *rtp.Packet) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.desc == nil || !slices.Contains(c.desc.Medias, medi) {
			return // a replaced publisher's late packet
		}
		for _, st := range c.streams {
			_ = st.WritePacketRTP(medi, pkt)
		}
	})
	return &base.Response{StatusCode: base.StatusOK}, nil
}

// OnSessionClose implements gortsplib.ServerHandlerOnSessionClose.
func (c *Camera) OnSessionClose(ctx *gortsplib.ServerHandlerOnSessionCloseCtx) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ctx.Session == c.publisher {
		c.closeStreams()
		c.desc, c.publisher = nil, nil
	}
}

// FFmpeg returns ffmpeg publishing a 320x180 test pattern coded with video
// (X264 or X265) and a 48 kHz tone coded as audioCodec ("aac", "pcm_alaw",
// "libopus"; "" for none) to url over transport ("tcp" or "udp") for d, in
// real time. The test is skipped where ffmpeg is not installed.
func FFmpeg(ctx context.Context, t testing.TB, url, transport string, video []string, audioCodec string, d time.Duration) *exec.Cmd {
	t.Helper()
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg not installed")
	}
	args := []string{
		"-hide_banner", "-loglevel", "error", "-nostdin",
		"-re", "-f", "lavfi", "-i", "testsrc=size=320x180:rate=25",
	}
	if audioCodec != "" {
		args = append(args, "-re", "-f", "lavfi", "-i", "sine=sample_rate=48000")
	}
	args = append(args, video...)
	if audioCodec != "" {
		args = append(args, "-c:a", audioCodec)
		if audioCodec == "pcm_alaw" || audioCodec == "pcm_mulaw" {
			args = append(args, "-ar", "8000")
		}
	}
	args = append(args, "-t", strconv.FormatFloat(d.Seconds(), 'f', -1, 64),
		"-f", "rtsp", "-rtsp_transport", transport, url)
	return exec.CommandContext(ctx, "ffmpeg", args...)
}

// X264 codes H.264 with one keyframe a second, with two B-frames when
// bframes.
func X264(bframes bool) []string {
	bf := "0"
	if bframes {
		bf = "2"
	}
	return []string{"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "25", "-bf", bf}
}

// X265 codes H.265 with one keyframe a second and two B-frames.
func X265() []string {
	return []string{
		"-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
		"-x265-params", "keyint=25:min-keyint=25:bframes=2:log-level=error",
	}
}
