package udp

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"sync/atomic"

	"golang.org/x/net/ipv4"

	"streamhive/protocols/mpegts"
)

// Pusher sends a stream as MPEG-TS over UDP (`push udp://239.0.0.1:1234`),
// seven TS packets per datagram, to a multicast group or a unicast
// address. The URL takes the input forms of the package doc: a path names
// the local address of the interface to send a group on. Options: ttl
// (multicast TTL, default 1 as the kernel has it; Flussonic's
// multicast_ttl is accepted too) and multicast_loop (true: deliver to
// receivers on this host as well; default false). The zero value is
// ready; Push is safe for concurrent use.
type Pusher struct{}

// Push sends src's frames to url until ctx ends or src ends (the stream
// stopped). UDP has no connection: a receiver that is absent loses the
// datagrams and the push goes on, so only a local error (no route, no
// such interface) fails it. Bytes sent are counted into sent.
func (Pusher) Push(ctx context.Context, url string, options map[string]string, src mpegts.Source,
	sent *atomic.Uint64,
) error {
	dst, err := ParseURL(url)
	if err != nil {
		return err
	}
	if dst.Addr.Addr().IsUnspecified() {
		return fmt.Errorf("%w: %q: a push needs a destination address", ErrBadURL, url)
	}
	// An unconnected socket: a connected one would fail its writes with
	// ECONNREFUSED after an ICMP port unreachable from an absent receiver.
	conn, err := net.ListenUDP("udp4", nil)
	if err != nil {
		return fmt.Errorf("udp: push socket: %w", err)
	}
	defer func() { _ = conn.Close() }() // also closed by ctx: nothing to report
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	if dst.Multicast() {
		if err := multicastOptions(conn, dst, options); err != nil {
			return err
		}
	}
	to := net.UDPAddrFromAddrPort(dst.Addr)
	out := &mpegts.Datagrams{W: datagramWriter{conn: conn, to: to, sent: sent}}
	err = mpegts.PushTS(ctx, src, out)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("udp: push to %s: %w", dst.Addr, err)
}

// datagramWriter sends each Write as one datagram.
type datagramWriter struct {
	conn *net.UDPConn
	to   *net.UDPAddr
	sent *atomic.Uint64
}

func (w datagramWriter) Write(p []byte) (int, error) {
	n, err := w.conn.WriteToUDP(p, w.to)
	if n > 0 && w.sent != nil {
		w.sent.Add(uint64(n))
	}
	return n, err
}

// multicastOptions sets the interface, TTL and loopback of a group push.
func multicastOptions(conn *net.UDPConn, dst Source, options map[string]string) error {
	p := ipv4.NewPacketConn(conn)
	if dst.Interface.IsValid() {
		ifi, err := interfaceOf(dst.Interface)
		if err != nil {
			return err
		}
		if err := p.SetMulticastInterface(ifi); err != nil {
			return fmt.Errorf("udp: multicast interface %s: %w", dst.Interface, err)
		}
	}
	for _, key := range []string{"ttl", "multicast_ttl"} {
		if v, ok := options[key]; ok {
			ttl, err := strconv.Atoi(v)
			if err != nil || ttl < 0 || ttl > 255 {
				return fmt.Errorf("%w: %s=%q: want 0 to 255", ErrBadURL, key, v)
			}
			if err := p.SetMulticastTTL(ttl); err != nil {
				return fmt.Errorf("udp: multicast ttl: %w", err)
			}
		}
	}
	loop := options["multicast_loop"] == "true" || options["multicast_loop"] == "1"
	if err := p.SetMulticastLoopback(loop); err != nil {
		return fmt.Errorf("udp: multicast loop: %w", err)
	}
	return nil
}
