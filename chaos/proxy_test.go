package chaos

import (
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

func TestTCPProxyForwardsAndFreezes(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	go func() { // an echo server
		c, err := ln.Accept()
		if err == nil {
			_, _ = io.Copy(c, c)
			_ = c.Close()
		}
	}()
	p, err := NewTCPProxy(ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = p.Close() }()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	buf := make([]byte, 5)
	roundTrip := func(d time.Duration) error {
		if _, err := c.Write([]byte("hello")); err != nil {
			return err
		}
		_ = c.SetReadDeadline(time.Now().Add(d))
		_, err := io.ReadFull(c, buf)
		return err
	}
	if err := roundTrip(5 * time.Second); err != nil || string(buf) != "hello" {
		t.Fatalf("through the proxy: %q %v", buf, err)
	}
	p.Freeze()
	if err := roundTrip(200 * time.Millisecond); err == nil {
		t.Fatal("a frozen proxy forwarded")
	}
	p.Thaw()
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(c, buf); err != nil || string(buf) != "hello" {
		t.Fatalf("after thawing: %q %v", buf, err)
	}
}

func TestUDPProxyLoses(t *testing.T) {
	dst, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = dst.Close() }()
	p, err := NewUDPProxy(dst.LocalAddr().String(), 7)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = p.Close() }()
	p.Impair(0.5, 2*time.Millisecond)
	c, err := net.Dial("udp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	const n = 200
	for i := range n {
		if _, err := c.Write([]byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	mediatest.WaitFor(t, 5*time.Second, fmt.Sprintf("the proxy to see all %d datagrams", n), func() bool {
		relayed, dropped := p.Counts()
		return relayed+dropped == n
	})
	if _, dropped := p.Counts(); dropped < n/4 || dropped > 3*n/4 {
		t.Errorf("dropped %d of %d at 50%% loss", dropped, n)
	}
	got := 0
	buf := make([]byte, 16)
	_ = dst.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	for {
		if _, _, err := dst.ReadFromUDP(buf); err != nil {
			break
		}
		got++
	}
	if relayed, _ := p.Counts(); got != relayed {
		t.Errorf("target received %d, proxy relayed %d", got, relayed)
	}
}
