package rtsp

import (
	"fmt"
	"strings"
)

// transport is how a pull carries RTP.
type transport int

const (
	transportTCP  transport = iota // interleaved on the RTSP connection (Flussonic's default)
	transportUDP                   // UDP only
	transportAuto                  // UDP, falling back to TCP when nothing arrives
)

func (t transport) String() string {
	return [...]string{"tcp", "udp", "auto"}[t]
}

// transportOption reads an input's transport options, as Flussonic spells
// them: RTP is interleaved over the RTSP connection (TCP) unless `rtp=udp`
// asks for UDP. `rtsp_tcp` (true, or with no value through the API) forces
// TCP explicitly; `rtsp_tcp=false` lets the client try UDP first and fall
// back to TCP when no packet arrives.
func transportOption(options map[string]string) (transport, error) {
	rtpOpt, hasRTP := options["rtp"]
	tcpOpt, hasTCP := options["rtsp_tcp"]
	forceTCP, err := parseBool(tcpOpt)
	if hasTCP && err != nil {
		return 0, fmt.Errorf("%w: rtsp_tcp=%q: %w", ErrBadOption, tcpOpt, err)
	}
	switch {
	case hasRTP && strings.EqualFold(rtpOpt, "udp"):
		if hasTCP && forceTCP {
			return 0, fmt.Errorf("%w: rtp=udp and rtsp_tcp contradict each other", ErrBadOption)
		}
		return transportUDP, nil
	case hasRTP && !strings.EqualFold(rtpOpt, "tcp"):
		return 0, fmt.Errorf("%w: rtp=%q: want udp or tcp", ErrBadOption, rtpOpt)
	case hasTCP && !forceTCP && !hasRTP:
		return transportAuto, nil
	default:
		return transportTCP, nil
	}
}

// parseBool accepts the spellings a config file or the API may use; an
// empty value (the bare option) means true.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "true", "yes", "on", "1":
		return true, nil
	case "false", "no", "off", "0":
		return false, nil
	}
	return false, fmt.Errorf("want true or false")
}
