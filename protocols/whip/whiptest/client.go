package whiptest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"
)

// Client is one WHIP publisher. Create it with NewClient, exchange Offer
// for the server's answer with SetAnswer, then Send.
type Client struct {
	pc           *webrtc.PeerConnection
	video, audio *webrtc.TrackLocalStaticSample
	connected    chan struct{}
	closed       chan struct{}
	once         sync.Once
	closeOnce    sync.Once
}

// Codecs a Client offers.
type Codecs struct {
	Video string // webrtc.MimeTypeH264 (or another, to test refusals); "" for none
	Audio string // webrtc.MimeTypeOpus; "" for none
}

// H264Opus is what a browser publishing camera and microphone offers.
var H264Opus = Codecs{Video: webrtc.MimeTypeH264, Audio: webrtc.MimeTypeOpus}

// offerable are the codecs a Client can offer, as browsers describe them.
var offerable = map[string]webrtc.RTPCodecParameters{
	webrtc.MimeTypeH264: {RTPCodecCapability: webrtc.RTPCodecCapability{
		MimeType: webrtc.MimeTypeH264, ClockRate: 90000,
		SDPFmtpLine:  "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
		RTCPFeedback: []webrtc.RTCPFeedback{{Type: "nack"}, {Type: "nack", Parameter: "pli"}},
	}, PayloadType: 102},
	webrtc.MimeTypeVP8: {RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000}, PayloadType: 96},
	webrtc.MimeTypeOpus: {RTPCodecCapability: webrtc.RTPCodecCapability{
		MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2, SDPFmtpLine: "minptime=10;useinbandfec=1",
	}, PayloadType: 111},
	webrtc.MimeTypePCMU: {RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypePCMU, ClockRate: 8000}, PayloadType: 0},
}

// NewClient returns a client with sendonly tracks of codecs (only those
// codecs offered: one of H.264, VP8 for video, Opus, PCMU for audio),
// gathering loopback host candidates only.
func NewClient(codecs Codecs) (*Client, error) {
	m := &webrtc.MediaEngine{}
	for _, mime := range []string{codecs.Video, codecs.Audio} {
		if mime == "" {
			continue
		}
		p, ok := offerable[mime]
		if !ok {
			return nil, fmt.Errorf("whiptest: cannot offer %s", mime)
		}
		kind := webrtc.RTPCodecTypeAudio
		if mime == codecs.Video {
			kind = webrtc.RTPCodecTypeVideo
		}
		if err := m.RegisterCodec(p, kind); err != nil {
			return nil, err
		}
	}
	se := webrtc.SettingEngine{}
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetIPFilter(func(ip net.IP) bool { return ip.IsLoopback() })
	api := webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithSettingEngine(se))
	pc, err := api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, err
	}
	c := &Client{pc: pc, connected: make(chan struct{}), closed: make(chan struct{})}
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		switch s {
		case webrtc.PeerConnectionStateConnected:
			c.once.Do(func() { close(c.connected) })
		case webrtc.PeerConnectionStateFailed, webrtc.PeerConnectionStateClosed, webrtc.PeerConnectionStateDisconnected:
			c.closeOnce.Do(func() { close(c.closed) })
		default:
		}
	})
	add := func(mime, id string) (*webrtc.TrackLocalStaticSample, error) {
		t, err := webrtc.NewTrackLocalStaticSample(webrtc.RTPCodecCapability{MimeType: mime}, id, "whiptest")
		if err != nil {
			return nil, err
		}
		_, err = pc.AddTransceiverFromTrack(t, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly})
		return t, err
	}
	if codecs.Video != "" {
		if c.video, err = add(codecs.Video, "video"); err != nil {
			_ = pc.Close()
			return nil, err
		}
	}
	if codecs.Audio != "" {
		if c.audio, err = add(codecs.Audio, "audio"); err != nil {
			_ = pc.Close()
			return nil, err
		}
	}
	return c, nil
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

// Connected is closed once the connection is up.
func (c *Client) Connected() <-chan struct{} { return c.connected }

// Gone is closed once the connection failed, closed or lost its peer.
func (c *Client) Gone() <-chan struct{} { return c.closed }

// Send sends m's tracks in real time, loops times over, and returns when
// done or when ctx ends (ctx's error then). Each track is paced on its
// own goroutine.
func (c *Client) Send(ctx context.Context, m *Media, loops int) error {
	var wg sync.WaitGroup
	errs := make([]error, 2)
	if c.video != nil {
		wg.Go(func() {
			errs[0] = pace(ctx, loops, len(m.Video), func(i int) (media.Sample, error) {
				return media.Sample{Data: m.Video[i], Duration: m.FrameDuration}, nil
			}, c.video)
		})
	}
	if c.audio != nil {
		wg.Go(func() {
			errs[1] = pace(ctx, loops, len(m.Audio), func(i int) (media.Sample, error) {
				return media.Sample{Data: m.Audio[i], Duration: m.AudioDuration[i]}, nil
			}, c.audio)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// pace writes n samples, loops times over, each at its due time. (Sleeping
// here is pacing, the way a camera produces frames.)
func pace(ctx context.Context, loops, n int, sample func(int) (media.Sample, error), t *webrtc.TrackLocalStaticSample) error {
	due := time.Now()
	for range loops {
		for i := range n {
			s, err := sample(i)
			if err != nil {
				return err
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Until(due)):
			}
			if err := t.WriteSample(s); err != nil {
				return fmt.Errorf("write sample: %w", err)
			}
			due = due.Add(s.Duration)
		}
	}
	return nil
}

// Close closes the peer connection.
func (c *Client) Close() error { return c.pc.Close() }
