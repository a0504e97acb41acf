package rtmp

import (
	"io"
	"net"
	"testing"
	"time"

	"streamhive/media"
)

func TestLowatFor(t *testing.T) {
	for _, tc := range []struct {
		name    string
		bytes   int
		elapsed time.Duration
		want    int
	}{
		{"4 Mbit/s", 500_000, time.Second, 10_000},
		{"slow window", 1_000_000, 2 * time.Second, 10_000},
		{"audio only", 16_000, time.Second, 1},
		{"a viewer's acks", 300, time.Second, 1},
		{"just paced", 102_400, time.Second, minLowat},
		{"16 Mbit/s", 2_000_000, time.Second, maxLowat},
	} {
		if got := lowatFor(tc.bytes, tc.elapsed); got != tc.want {
			t.Errorf("%s: lowatFor(%d, %v) = %d, want %d", tc.name, tc.bytes, tc.elapsed, got, tc.want)
		}
	}
}

// TestPacerSetsMarkOncePerWindow: the mark follows the measured rate, is
// not reset for a change of under an eighth, and a refused mark ends
// pacing.
func TestPacerSetsMarkOncePerWindow(t *testing.T) {
	var set []int
	fail := false
	t0 := time.Unix(0, 0)
	p := &readPacer{start: t0, lowat: 1, setLowat: func(n int) error {
		set = append(set, n)
		if fail {
			return io.ErrClosedPipe
		}
		return nil
	}}
	at := t0.Add
	p.observe(250_000, at(500*time.Millisecond))
	p.observe(250_000, at(time.Second)) // 500 kB/s: 10 kB per readPace
	p.observe(520_000, at(2*time.Second))
	if len(set) != 1 || set[0] != 10_000 || !p.holding() {
		t.Fatalf("marks %v, holding %v; want [10000] and holding", set, p.holding())
	}
	p.observe(100_000, at(3*time.Second)) // 2 kB per readPace
	fail = true
	p.observe(300_000, at(4*time.Second))
	if p.holding() || p.setLowat != nil || len(set) != 3 {
		t.Fatalf("after a refused mark: holding %v, marks %v", p.holding(), set)
	}
}

// TestPacedReadsGatherBytes sends 64 KiB in 1 KiB writes a millisecond
// apart, as an encoder sends chunks, to a connection whose mark is 8 KiB:
// each read that waits takes at least the mark, so there are far fewer
// reads than writes, and the last bytes, below the mark, still arrive
// (after paceHold).
func TestPacedReadsGatherBytes(t *testing.T) {
	if !canSetLowat {
		t.Skip("no SO_RCVLOWAT here")
	}
	client, nc := loopbackPair(t)
	c := &countingConn{Conn: nc, timeout: 10 * time.Second, stats: &media.InputStats{}, pace: newReadPacer(nc, time.Now())}
	if c.pace == nil {
		t.Fatal("no pacer for a TCP connection")
	}
	c.pace.set(8 << 10)

	const writes, piece = 64, 1 << 10
	go func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		b := make([]byte, piece)
		for range writes {
			if _, err := client.Write(b); err != nil {
				return
			}
			<-tick.C
		}
	}()
	buf := make([]byte, 16<<10)
	total, reads := 0, 0
	for total < writes*piece {
		n, err := c.Read(buf)
		if err != nil {
			t.Fatalf("read after %d bytes: %v", total, err)
		}
		total += n
		reads++
	}
	// Unpaced, a reader keeping up makes one read per write. Paced, a
	// read that parks takes >= 8 KiB, and the read right after one may
	// take a little more: about 2 reads per 8 KiB, plus the tail.
	if reads > writes/2 {
		t.Errorf("%d reads for %d writes of %d bytes; want at most %d", reads, writes, piece, writes/2)
	}
	t.Logf("%d reads for %d writes", reads, writes)
}

// TestPacedReadReleasesTheMark: a read that waits paceHold drops the mark
// and goes on waiting, under the connection's own timeout, for any byte.
func TestPacedReadReleasesTheMark(t *testing.T) {
	if !canSetLowat {
		t.Skip("no SO_RCVLOWAT here")
	}
	client, nc := loopbackPair(t)
	const timeout = 2 * paceHold
	c := &countingConn{Conn: nc, timeout: timeout, stats: &media.InputStats{}, pace: newReadPacer(nc, time.Now())}
	c.pace.set(8 << 10)
	buf := make([]byte, 64)
	start := time.Now()
	if _, err := c.Read(buf); !isTimeout(err) {
		t.Fatalf("Read of a silent peer: %v, want a deadline error", err)
	}
	if waited := time.Since(start); waited < timeout {
		t.Errorf("a silent peer dropped after %v, before its timeout %v", waited, timeout)
	}
	if c.pace.holding() {
		t.Error("the mark is still set after a read waited paceHold")
	}
	if _, err := client.Write([]byte("connect")); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Read(buf); err != nil || string(buf[:n]) != "connect" {
		t.Fatalf("Read = %q, %v", buf[:n], err)
	}
}

// loopbackPair is a connected pair of TCP connections on 127.0.0.1,
// closed when t ends: the client's end and the server's.
func loopbackPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	if client, err = net.Dial("tcp", ln.Addr().String()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	if server, err = ln.Accept(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = server.Close() })
	return client, server
}
