package pionrtc

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
)

// NetConfig says which sockets every peer connection shares.
type NetConfig struct {
	// UDP is the one UDP address ICE uses for every peer ("HOST:PORT"; an
	// empty or unspecified host listens on every interface's address,
	// each on PORT, which must then be set). Empty: no shared UDP port.
	UDP string
	// TCP is the ICE-TCP listening address (RFC 6544, passive
	// candidates). Empty: no ICE-TCP.
	TCP string
	// PublicIPs replace our host candidates' addresses (a NAT 1:1 in
	// front of the server: the addresses viewers reach it by).
	PublicIPs []string
	Logger    *slog.Logger
}

// Net holds the shared ICE sockets. Close it after the servers using it.
type Net struct {
	udp       ice.UDPMux
	tcp       ice.TCPMux
	publicIPs []string
}

// OpenNet opens c's sockets.
func OpenNet(c NetConfig) (*Net, error) {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	logs := pionLogs{c.Logger, "webrtc"}
	for _, ip := range c.PublicIPs {
		if net.ParseIP(ip) == nil {
			return nil, fmt.Errorf("webrtc: public IP %q is no IP address", ip)
		}
	}
	n := &Net{publicIPs: c.PublicIPs}
	if c.UDP != "" {
		mux, err := openUDP(c.UDP, logs)
		if err != nil {
			return nil, err
		}
		n.udp = mux
	}
	if c.TCP != "" {
		ln, err := net.Listen("tcp", c.TCP)
		if err != nil {
			n.Close()
			return nil, fmt.Errorf("webrtc: ICE-TCP: %w", err)
		}
		n.tcp = webrtc.NewICETCPMux(logs.NewLogger("ice-tcp"), ln, 8)
	}
	return n, nil
}

func openUDP(addr string, logs pionLogs) (ice.UDPMux, error) {
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("webrtc: UDP address: %w", err)
	}
	if ip := net.ParseIP(host); host != "" && !ip.IsUnspecified() {
		conn, err := net.ListenPacket("udp", addr)
		if err != nil {
			return nil, fmt.Errorf("webrtc: UDP: %w", err)
		}
		return webrtc.NewICEUDPMux(logs.NewLogger("ice-udp"), conn), nil
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port <= 0 || port > 65535 {
		return nil, fmt.Errorf("webrtc: UDP port %q: listening on every interface needs a port", portText)
	}
	mux, err := ice.NewMultiUDPMuxFromPort(port, ice.UDPMuxFromPortWithLoopback(),
		ice.UDPMuxFromPortWithLogger(logs.NewLogger("ice-udp")))
	if err != nil {
		return nil, fmt.Errorf("webrtc: UDP port %d: %w", port, err)
	}
	return mux, nil
}

// UDPAddrs returns the shared UDP socket's addresses (none without one).
func (n *Net) UDPAddrs() []net.Addr {
	if n == nil || n.udp == nil {
		return nil
	}
	return n.udp.GetListenAddresses()
}

// apply makes se use the shared sockets.
func (n *Net) apply(se *webrtc.SettingEngine) error {
	types := []webrtc.NetworkType{webrtc.NetworkTypeUDP4, webrtc.NetworkTypeUDP6}
	if n.udp != nil {
		se.SetICEUDPMux(n.udp)
	}
	if n.tcp != nil {
		se.SetICETCPMux(n.tcp)
		types = append(types, webrtc.NetworkTypeTCP4, webrtc.NetworkTypeTCP6)
	}
	se.SetNetworkTypes(types)
	if len(n.publicIPs) > 0 {
		rule := webrtc.ICEAddressRewriteRule{External: n.publicIPs, AsCandidateType: webrtc.ICECandidateTypeHost}
		if err := se.SetICEAddressRewriteRules(rule); err != nil {
			return fmt.Errorf("webrtc: public IPs: %w", err)
		}
	}
	return nil
}

// Close closes the sockets.
func (n *Net) Close() {
	var errs []error
	if n.udp != nil {
		errs = append(errs, n.udp.Close())
	}
	if n.tcp != nil {
		errs = append(errs, n.tcp.Close())
	}
	_ = errors.Join(errs...) // closing listeners at shutdown: nothing to do about a failure
}
