// Package wheptest is a WHEP viewer for tests: a pion peer connection
// that receives H.264 and Opus (or whatever codecs a test offers) and
// counts the RTP it gets. Test code only.
package wheptest

import (
	"context"
	"net"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
)

// Client is one viewer.
type Client struct {
	pc *webrtc.PeerConnection

	// Video and Audio count the RTP packets received per kind; Keyframes
	// the H.264 IDR slices (or their first FU-A fragments) seen.
	Video, Audio, Keyframes atomic.Int64

	connected chan struct{}
	once      sync.Once
	mu        sync.Mutex
	firstNAL  int // NAL type of the first video payload; -1 before
}

// Codecs names the mime types a Client receives; empty leaves a kind out.
type Codecs struct{ Video, Audio string }

// H264Opus is what a browser receives.
var H264Opus = Codecs{Video: webrtc.MimeTypeH264, Audio: webrtc.MimeTypeOpus}

// New returns a Client with one receive-only transceiver per kind in c,
// with the codecs a browser offers of those mime types.
func New(c Codecs) (*Client, error) {
	keep := &webrtc.MediaEngine{}
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		want := c.Video
		if kind == webrtc.RTPCodecTypeAudio {
			want = c.Audio
		}
		if want == "" {
			continue
		}
		for _, p := range defaultCodecs(kind) {
			if strings.EqualFold(p.MimeType, want) {
				if err := keep.RegisterCodec(p, kind); err != nil {
					return nil, err
				}
			}
		}
	}
	se := webrtc.SettingEngine{}
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	api := webrtc.NewAPI(webrtc.WithMediaEngine(keep), webrtc.WithSettingEngine(se))
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, err
	}
	cl := &Client{pc: pc, connected: make(chan struct{}), firstNAL: -1}
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateConnected {
			cl.once.Do(func() { close(cl.connected) })
		}
	})
	pc.OnTrack(cl.read)
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeVideo, webrtc.RTPCodecTypeAudio} {
		if (kind == webrtc.RTPCodecTypeVideo && c.Video == "") || (kind == webrtc.RTPCodecTypeAudio && c.Audio == "") {
			continue
		}
		if _, err := pc.AddTransceiverFromKind(kind, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			_ = pc.Close()
			return nil, err
		}
	}
	return cl, nil
}

// defaultCodecs are the codecs a browser offers of kind (a subset).
func defaultCodecs(kind webrtc.RTPCodecType) []webrtc.RTPCodecParameters {
	video := []webrtc.RTPCodecParameters{
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeH264, ClockRate: 90000, SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f"}, PayloadType: 102},
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, PayloadType: 96},
	}
	audio := []webrtc.RTPCodecParameters{
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1"}, PayloadType: 111},
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMU, ClockRate: 8000}, PayloadType: 0},
	}
	if kind == webrtc.RTPCodecTypeVideo {
		return video
	}
	return audio
}

// read counts one remote track's packets until the connection closes.
func (c *Client) read(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	for {
		p, _, err := t.ReadRTP()
		if err != nil {
			return
		}
		if t.Kind() == webrtc.RTPCodecTypeAudio {
			c.Audio.Add(1)
			continue
		}
		c.Video.Add(1)
		if len(p.Payload) < 2 {
			continue
		}
		nal := int(p.Payload[0] & 0x1f)
		if nal == 28 && p.Payload[1]&0x80 != 0 { // FU-A start
			nal = int(p.Payload[1] & 0x1f)
		}
		c.mu.Lock()
		if c.firstNAL < 0 {
			c.firstNAL = nal
		}
		c.mu.Unlock()
		if nal == 5 {
			c.Keyframes.Add(1)
		}
	}
}

// FirstNAL returns the NAL unit type of the first video payload received
// (7: SPS, the start of a keyframe); -1 before any.
func (c *Client) FirstNAL() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.firstNAL
}

// Offer returns the complete SDP offer (every candidate gathered).
func (c *Client) Offer(ctx context.Context) (string, error) {
	offer, err := c.pc.CreateOffer(nil)
	if err != nil {
		return "", err
	}
	gathered := webrtc.GatheringCompletePromise(c.pc)
	if err := c.pc.SetLocalDescription(offer); err != nil {
		return "", err
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return c.pc.LocalDescription().SDP, nil
}

// SetAnswer applies the server's answer.
func (c *Client) SetAnswer(sdp string) error {
	return c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: sdp})
}

// Connected is closed once the peer connection is up.
func (c *Client) Connected() <-chan struct{} { return c.connected }

// Close closes the peer connection.
func (c *Client) Close() error { return c.pc.Close() }
