package rtsp

import (
	"errors"
	"fmt"
	"net"
)

// udpPair is the server's RTP and RTCP sockets. RTSP wants them on
// consecutive ports, RTP's even (RFC 3550 §11); publishers learn them from
// the SETUP answer, so any free pair will do.
type udpPair struct{ rtp, rtcp *net.UDPConn }

// udpPairTries bounds the search for a free even/odd pair.
const udpPairTries = 32

// listenUDPPair opens a free RTP/RTCP pair on host.
func listenUDPPair(host string) (*udpPair, error) {
	var lastErr error
	for range udpPairTries {
		probe, err := net.ListenUDP("udp", udpAddr(host, 0))
		if err != nil {
			return nil, err
		}
		port := probe.LocalAddr().(*net.UDPAddr).Port
		rtp := probe
		if port%2 != 0 {
			_ = probe.Close()
			port++
			if rtp, err = net.ListenUDP("udp", udpAddr(host, port)); err != nil {
				lastErr = err
				continue
			}
		}
		rtcp, err := net.ListenUDP("udp", udpAddr(host, port+1))
		if err != nil {
			_ = rtp.Close()
			lastErr = err
			continue
		}
		return &udpPair{rtp: rtp, rtcp: rtcp}, nil
	}
	return nil, fmt.Errorf("rtsp: no free RTP/RTCP port pair on %q after %d tries: %w", host, udpPairTries, lastErr)
}

func udpAddr(host string, port int) *net.UDPAddr {
	return &net.UDPAddr{IP: net.ParseIP(host), Port: port}
}

// listenPacket hands gortsplib the sockets we opened, by address.
func (p *udpPair) listenPacket(_, address string) (net.PacketConn, error) {
	switch address {
	case p.rtp.LocalAddr().String():
		return p.rtp, nil
	case p.rtcp.LocalAddr().String():
		return p.rtcp, nil
	}
	return nil, fmt.Errorf("rtsp: unexpected UDP listen on %s", address)
}

func (p *udpPair) close() {
	_ = p.rtp.Close()
	_ = p.rtcp.Close()
}

// hostOf returns the IP a listener is bound to ("" for all interfaces),
// or an error for an address that is not TCP/IP (an in-memory listener).
func hostOf(a net.Addr) (string, error) {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "", errors.New("not a TCP address: " + a.String())
	}
	if tcp.IP == nil || tcp.IP.IsUnspecified() {
		return "", nil
	}
	return tcp.IP.String(), nil
}
