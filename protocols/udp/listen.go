package udp

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"syscall"

	"golang.org/x/net/ipv4"
)

// defaultReadBuffer is the receive buffer asked for: Flussonic's tuning
// guide asks for about 16 MB for HD multicast; 8 MiB holds 4 s of a
// 16 Mbit/s channel while the reader is descheduled. The kernel caps it
// at net.core.rmem_max without an error.
const defaultReadBuffer = 8 << 20

// listen opens the socket for s and, for a group, joins it.
func listen(ctx context.Context, s Source, readBuffer int) (*net.UDPConn, error) {
	lc := net.ListenConfig{Control: reuseAddr}
	network := "udp4"
	if s.Addr.Addr().Is6() {
		network = "udp6"
	}
	pc, err := lc.ListenPacket(ctx, network, s.Addr.String())
	if err != nil {
		return nil, fmt.Errorf("udp: listen %s: %w", s.Addr, err)
	}
	conn := pc.(*net.UDPConn)
	if readBuffer <= 0 {
		readBuffer = defaultReadBuffer
	}
	_ = conn.SetReadBuffer(readBuffer) // best effort: the kernel may cap it
	if !s.Multicast() {
		return conn, nil
	}
	if err := join(conn, s); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return conn, nil
}

// join subscribes conn to s's group on s's interface. Closing the socket
// leaves the group.
func join(conn *net.UDPConn, s Source) error {
	ifi, err := interfaceOf(s.Interface)
	if err != nil {
		return err
	}
	p := ipv4.NewPacketConn(conn)
	group := &net.UDPAddr{IP: s.Addr.Addr().AsSlice()}
	if s.Sender.IsValid() {
		err = p.JoinSourceSpecificGroup(ifi, group, &net.UDPAddr{IP: s.Sender.AsSlice()})
	} else {
		err = p.JoinGroup(ifi, group)
	}
	if err != nil {
		return fmt.Errorf("udp: join %s on %v: %w", s.Addr.Addr(), s.Interface, err)
	}
	return nil
}

// interfaceOf finds the interface that has addr; nil for the zero addr.
func interfaceOf(addr netip.Addr) (*net.Interface, error) {
	if !addr.IsValid() {
		return nil, nil
	}
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("udp: list interfaces: %w", err)
	}
	for i := range ifaces {
		addrs, err := ifaces[i].Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				if ip, ok := netip.AddrFromSlice(n.IP); ok && ip.Unmap() == addr {
					return &ifaces[i], nil
				}
			}
		}
	}
	return nil, fmt.Errorf("%w: no interface has address %s", ErrBadURL, addr)
}

// reuseAddr lets several inputs bind the same group and port.
func reuseAddr(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) { serr = setReuseAddr(fd) })
	if err != nil {
		return err
	}
	return serr
}
