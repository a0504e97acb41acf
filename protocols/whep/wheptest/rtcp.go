package wheptest

import (
	"encoding/binary"
	"errors"
	"strings"
	"sync"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
)

// loss is an interceptor that drops the first arrival of one video
// packet in every, as a lossy network would, and remembers which.
type loss struct {
	interceptor.NoOp
	every int

	mu      sync.Mutex
	seen    int
	dropped map[uint16]bool // by sequence number
}

// NewInterceptor implements interceptor.Factory: one loss serves the
// client's only peer connection.
func (l *loss) NewInterceptor(string) (interceptor.Interceptor, error) { return l, nil }

// BindRemoteStream drops from video streams.
func (l *loss) BindRemoteStream(info *interceptor.StreamInfo, r interceptor.RTPReader) interceptor.RTPReader {
	if !strings.HasPrefix(strings.ToLower(info.MimeType), "video/") {
		return r
	}
	return interceptor.RTPReaderFunc(func(b []byte, a interceptor.Attributes) (int, interceptor.Attributes, error) {
		for {
			n, attrs, err := r.Read(b, a)
			if err != nil || n < 4 || !l.drop(binary.BigEndian.Uint16(b[2:4])) {
				return n, attrs, err
			}
			a = interceptor.Attributes{} // the dropped packet's parsed header must not stick
		}
	})
}

// drop says whether to drop the packet with seq: one first arrival in
// every, never a retransmission.
func (l *loss) drop(seq uint16) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, again := l.dropped[seq]; again {
		return false
	}
	l.seen++
	if l.seen%l.every != 0 {
		return false
	}
	l.dropped[seq] = true
	return true
}

// wasDropped says whether seq's first arrival was dropped (nil: no loss).
func (l *loss) wasDropped(seq uint16) bool {
	if l == nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.dropped[seq]
}

// Dropped returns how many video packets the loss dropped.
func (c *Client) Dropped() int {
	if c.loss == nil {
		return 0
	}
	c.loss.mu.Lock()
	defer c.loss.mu.Unlock()
	return len(c.loss.dropped)
}

// RequestKeyframe sends a PLI for the video track, as a decoder that lost
// its reference does.
func (c *Client) RequestKeyframe() error {
	ssrc := c.videoSSRC.Load()
	if ssrc == 0 {
		return errors.New("wheptest: no video track yet")
	}
	return c.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: ssrc}})
}

// OnVideo calls f with the NAL unit type of each video packet received
// from now on (an FU-A start gives its fragment's type).
func (c *Client) OnVideo(f func(nal int)) {
	c.mu.Lock()
	c.onVideo = f
	c.mu.Unlock()
}

// ICEStates returns the ICE connection states the client went through.
func (c *Client) ICEStates() []webrtc.ICEConnectionState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]webrtc.ICEConnectionState(nil), c.iceStates...)
}
