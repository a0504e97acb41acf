package pionrtc

import (
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
)

// Clock rates of the codecs we carry.
const (
	VideoClockRate = 90000
	OpusClockRate  = 48000
)

// ICE timeouts: a peer that stops answering connectivity checks is
// disconnected after iceDisconnected and its session ends after iceFailed
// (pion's default, 25 s, keeps a dead peer's resources too long).
const (
	iceDisconnected = 5 * time.Second
	iceFailed       = 10 * time.Second
	iceKeepAlive    = 2 * time.Second
)

// VideoFeedback is the RTCP feedback of our H.264: retransmissions (NACK)
// and keyframe requests (PLI, FIR).
var VideoFeedback = []webrtc.RTCPFeedback{{Type: "nack"}, {Type: "nack", Parameter: "pli"}, {Type: "ccm", Parameter: "fir"}}

// H264Profiles are the profile-level-ids we speak, each in both
// packetization modes (pion matches profile and mode, not level): the
// constrained baseline browsers send by default, baseline, main, high.
var H264Profiles = []string{"42e01f", "42001f", "4d001f", "640032"}

// Options configure an API.
type Options struct {
	// Logger receives pion's logs (errors at info, the rest at debug),
	// each message prefixed with Prefix.
	Logger *slog.Logger
	Prefix string
	// IPFilter keeps the local addresses offered as ICE host candidates;
	// nil offers every interface's addresses, loopback included.
	IPFilter func(net.IP) bool
	// Net, when set, carries every peer connection over its shared
	// sockets; nil: each peer gathers its own ephemeral UDP ports.
	Net *Net
}

// NewAPI builds the pion API every session of a server shares: H.264 and
// Opus only, pion's default interceptors, host candidates only (no STUN,
// no TURN, no mDNS).
func NewAPI(o Options) (*webrtc.API, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	m := &webrtc.MediaEngine{}
	if err := registerCodecs(m); err != nil {
		return nil, err
	}
	ir := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(m, ir); err != nil {
		return nil, fmt.Errorf("%s: interceptors: %w", o.Prefix, err)
	}
	se := webrtc.SettingEngine{LoggerFactory: pionLogs{o.Logger, o.Prefix}}
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4, webrtc.NetworkTypeUDP6})
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetICETimeouts(iceDisconnected, iceFailed, iceKeepAlive)
	if o.IPFilter != nil {
		se.SetIPFilter(func(ip net.IP) bool { return o.IPFilter(ip) })
	}
	if o.Net != nil {
		if err := o.Net.apply(&se); err != nil {
			return nil, err
		}
	}
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(se)), nil
}

func registerCodecs(m *webrtc.MediaEngine) error {
	pt := webrtc.PayloadType(96)
	for _, profile := range H264Profiles {
		for _, mode := range []int{1, 0} {
			c := webrtc.RTPCodecParameters{
				RTPCodecCapability: H264(profile, mode),
				PayloadType:        pt,
			}
			if err := m.RegisterCodec(c, webrtc.RTPCodecTypeVideo); err != nil {
				return fmt.Errorf("H.264 codec: %w", err)
			}
			pt++
		}
	}
	opus := webrtc.RTPCodecParameters{RTPCodecCapability: Opus(), PayloadType: 111}
	if err := m.RegisterCodec(opus, webrtc.RTPCodecTypeAudio); err != nil {
		return fmt.Errorf("Opus codec: %w", err)
	}
	return nil
}

// H264 is our H.264 capability in one profile and packetization mode.
func H264(profile string, mode int) webrtc.RTPCodecCapability {
	return webrtc.RTPCodecCapability{
		MimeType: webrtc.MimeTypeH264, ClockRate: VideoClockRate,
		SDPFmtpLine:  fmt.Sprintf("level-asymmetry-allowed=1;packetization-mode=%d;profile-level-id=%s", mode, profile),
		RTCPFeedback: VideoFeedback,
	}
}

// Opus is our Opus capability.
func Opus() webrtc.RTPCodecCapability {
	return webrtc.RTPCodecCapability{
		MimeType: webrtc.MimeTypeOpus, ClockRate: OpusClockRate, Channels: 2,
		SDPFmtpLine: "minptime=10;useinbandfec=1",
	}
}
