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
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// Client is one viewer.
type Client struct {
	pc *webrtc.PeerConnection

	// Video and Audio count the RTP packets received per kind; Keyframes
	// the H.264 IDR slices (or their first FU-A fragments) seen;
	// Retransmitted the video packets that arrived again after the loss
	// Options.Loss made.
	Video, Audio, Keyframes, Retransmitted atomic.Int64

	connected chan struct{}
	once      sync.Once
	loss      *loss         // nil: no loss
	videoSSRC atomic.Uint32 // the video track's, once it arrived
	mu        sync.Mutex
	firstNAL  int                         // NAL type of the first video payload; -1 before
	iceStates []webrtc.ICEConnectionState // every change, in order
	onVideo   func(nal int)               // called for each video packet (may be nil)
}

// Options shape a Client's transport.
type Options struct {
	// TCP gathers ICE-TCP candidates only (active ones, which connect to
	// the server's passive candidates), no UDP.
	TCP bool
	// Loss drops, on the receive path, the first arrival of one video
	// packet in Loss (0: none); a NACK generator then asks the server for
	// them again.
	Loss int
}

// Codecs names the mime types a Client receives; empty leaves a kind out.
type Codecs struct{ Video, Audio string }

// H264Opus is what a browser receives.
var H264Opus = Codecs{Video: webrtc.MimeTypeH264, Audio: webrtc.MimeTypeOpus}

// New returns a Client with one receive-only transceiver per kind in c,
// with the codecs a browser offers of those mime types, over UDP.
func New(c Codecs) (*Client, error) { return NewWith(c, Options{}) }

// NewWith is New with a transport shaped by o.
func NewWith(c Codecs, o Options) (*Client, error) {
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
	cl := &Client{connected: make(chan struct{}), firstNAL: -1}
	api, err := cl.api(keep, o)
	if err != nil {
		return nil, err
	}
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, err
	}
	cl.pc = pc
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		if s == webrtc.PeerConnectionStateConnected {
			cl.once.Do(func() { close(cl.connected) })
		}
	})
	pc.OnICEConnectionStateChange(func(s webrtc.ICEConnectionState) {
		cl.mu.Lock()
		cl.iceStates = append(cl.iceStates, s)
		cl.mu.Unlock()
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

// api is the pion API of a client: loopback host candidates on o's
// network, and with o.Loss a lossy receive path and a NACK generator.
func (c *Client) api(m *webrtc.MediaEngine, o Options) (*webrtc.API, error) {
	se := webrtc.SettingEngine{}
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	if o.TCP {
		se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeTCP4})
	}
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	ir := &interceptor.Registry{}
	if o.Loss > 0 {
		c.loss = &loss{every: o.Loss, dropped: map[uint16]bool{}}
		gen, err := nack.NewGeneratorInterceptor()
		if err != nil {
			return nil, err
		}
		ir.Add(c.loss) // first: the generator sees the stream with its holes
		ir.Add(gen)
		// The loss is made after SRTP, so a retransmission is the same
		// SRTP packet again, which replay protection would refuse.
		se.DisableSRTPReplayProtection(true)
	}
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithSettingEngine(se), webrtc.WithInterceptorRegistry(ir)), nil
}

// defaultCodecs are the codecs a browser offers of kind (a subset).
func defaultCodecs(kind webrtc.RTPCodecType) []webrtc.RTPCodecParameters {
	videoFeedback := []webrtc.RTCPFeedback{{Type: "nack"}, {Type: "nack", Parameter: "pli"}, {Type: "ccm", Parameter: "fir"}}
	video := []webrtc.RTPCodecParameters{
		{RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeH264, ClockRate: 90000, SDPFmtpLine: "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f", RTCPFeedback: videoFeedback}, PayloadType: 102},
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
		c.videoSSRC.Store(uint32(t.SSRC()))
		c.countVideo(p)
	}
}

func (c *Client) countVideo(p *rtp.Packet) {
	c.Video.Add(1)
	if c.loss.wasDropped(p.SequenceNumber) {
		c.Retransmitted.Add(1)
	}
	if len(p.Payload) < 2 {
		return
	}
	nal := int(p.Payload[0] & 0x1f)
	if nal == 28 && p.Payload[1]&0x80 != 0 { // FU-A start
		nal = int(p.Payload[1] & 0x1f)
	}
	c.mu.Lock()
	if c.firstNAL < 0 {
		c.firstNAL = nal
	}
	onVideo := c.onVideo
	c.mu.Unlock()
	if nal == 5 {
		c.Keyframes.Add(1)
	}
	if onVideo != nil {
		onVideo(nal)
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
