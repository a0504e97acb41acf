package whip

import (
	"fmt"
	"net"
	"time"

	"github.com/pion/ice/v4"
	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
)

// ICE timeouts: a publisher that stops answering connectivity checks is
// disconnected after iceDisconnected and its session ends after
// iceFailed (pion's default, 25 s, keeps a dead publisher's slot too
// long).
const (
	iceDisconnected = 5 * time.Second
	iceFailed       = 10 * time.Second
	iceKeepAlive    = 2 * time.Second
)

// videoFeedback is what we ask of an H.264 sender: retransmissions (NACK)
// and keyframes on request (PLI, FIR).
var videoFeedback = []webrtc.RTCPFeedback{{Type: "nack"}, {Type: "nack", Parameter: "pli"}, {Type: "ccm", Parameter: "fir"}}

// h264Profiles are the profile-level-ids we accept, each in both
// packetization modes (pion matches profile and mode, not level): the
// constrained baseline browsers send by default, baseline, main, high.
var h264Profiles = []string{"42e01f", "42001f", "4d001f", "640032"}

// newAPI builds the pion API every session of a server shares: H.264 and
// Opus only, pion's default interceptors (NACK, RTCP reports, TWCC), host
// candidates only.
func newAPI(cfg Config) (*webrtc.API, error) {
	m := &webrtc.MediaEngine{}
	if err := registerCodecs(m); err != nil {
		return nil, err
	}
	ir := &interceptor.Registry{}
	if err := webrtc.RegisterDefaultInterceptors(m, ir); err != nil {
		return nil, fmt.Errorf("whip: interceptors: %w", err)
	}
	se := webrtc.SettingEngine{LoggerFactory: pionLogs{cfg.Logger}}
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4, webrtc.NetworkTypeUDP6})
	se.SetIncludeLoopbackCandidate(true)
	se.SetICEMulticastDNSMode(ice.MulticastDNSModeDisabled)
	se.SetICETimeouts(iceDisconnected, iceFailed, iceKeepAlive)
	if cfg.IPFilter != nil {
		se.SetIPFilter(func(ip net.IP) bool { return cfg.IPFilter(ip) })
	}
	return webrtc.NewAPI(webrtc.WithMediaEngine(m), webrtc.WithInterceptorRegistry(ir), webrtc.WithSettingEngine(se)), nil
}

func registerCodecs(m *webrtc.MediaEngine) error {
	pt := webrtc.PayloadType(96)
	for _, profile := range h264Profiles {
		for _, mode := range []int{1, 0} {
			c := webrtc.RTPCodecParameters{
				RTPCodecCapability: webrtc.RTPCodecCapability{
					MimeType: webrtc.MimeTypeH264, ClockRate: videoClockRate,
					SDPFmtpLine:  fmt.Sprintf("level-asymmetry-allowed=1;packetization-mode=%d;profile-level-id=%s", mode, profile),
					RTCPFeedback: videoFeedback,
				},
				PayloadType: pt,
			}
			if err := m.RegisterCodec(c, webrtc.RTPCodecTypeVideo); err != nil {
				return fmt.Errorf("whip: H.264 codec: %w", err)
			}
			pt++
		}
	}
	opus := webrtc.RTPCodecParameters{
		RTPCodecCapability: webrtc.RTPCodecCapability{
			MimeType: webrtc.MimeTypeOpus, ClockRate: opusClockRate, Channels: 2,
			SDPFmtpLine: "minptime=10;useinbandfec=1",
		},
		PayloadType: 111,
	}
	if err := m.RegisterCodec(opus, webrtc.RTPCodecTypeAudio); err != nil {
		return fmt.Errorf("whip: Opus codec: %w", err)
	}
	return nil
}
