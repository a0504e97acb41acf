package udp

import (
	"bytes"
	"net"
	"testing"
	"time"

	"streamhive/media"
)

// udpPair returns a socket on 127.0.0.1 and a client connected to it.
func udpPair(t *testing.T) (*net.UDPConn, net.Conn) {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	client, err := net.Dial("udp4", conn.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close() })
	return conn, client
}

// tsDatagram is n TS packets whose bytes say which datagram they are.
func tsDatagram(i, n int) []byte {
	b := bytes.Repeat([]byte{byte(i)}, n*188)
	for p := 0; p < n; p++ {
		b[p*188] = 0x47
	}
	return b
}

// readAll reads until want bytes came and returns them and the reads.
func readAll(t *testing.T, d *datagrams, want int) ([]byte, int) {
	t.Helper()
	var got []byte
	buf := make([]byte, 64<<10)
	reads := 0
	for len(got) < want {
		n, err := d.Read(buf)
		if err != nil {
			t.Fatalf("Read after %d of %d bytes: %v", len(got), want, err)
		}
		got = append(got, buf[:n]...)
		reads++
	}
	return got, reads
}

// TestDatagramsReadInBatches: datagrams waiting in the socket are read by
// one system call each batch, in order, without their RTP headers, and
// empty ones are skipped.
func TestDatagramsReadInBatches(t *testing.T) {
	conn, client := udpPair(t)
	var want []byte
	for i := range 40 {
		ts := tsDatagram(i, 7)
		out := ts
		switch i % 10 {
		case 3:
			out = append([]byte{0x80, 33, 0, byte(i), 0, 0, 0, 0, 1, 2, 3, 4}, ts...)
		case 5:
			out, ts = nil, nil
		}
		want = append(want, ts...)
		if _, err := client.Write(out); err != nil {
			t.Fatal(err)
		}
	}
	d := newDatagrams(conn, &media.InputStats{})
	got, reads := readAll(t, d, len(want))
	if !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes that differ from the %d sent", len(got), len(want))
	}
	if d.batch != nil && reads > 8 {
		t.Errorf("%d reads for 40 queued datagrams; want a batch per read", reads)
	}
	t.Logf("%d reads for 40 datagrams", reads)
}

// TestDatagramsCutShortAreCounted: a datagram larger than a batch slot is
// cut by the kernel: it is counted and dropped, and the slots grow so the
// next one of that size is read whole.
func TestDatagramsCutShortAreCounted(t *testing.T) {
	conn, client := udpPair(t)
	d := newDatagrams(conn, &media.InputStats{})
	if d.batch == nil {
		t.Skip("no batch reads here")
	}
	big := tsDatagram(1, slotSize/188+1) // over a slot, under two
	small := tsDatagram(2, 7)
	for _, b := range [][]byte{big, small} {
		if _, err := client.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := readAll(t, d, len(small))
	if !bytes.Equal(got, small) {
		t.Fatalf("read %d bytes, want the small datagram's %d", len(got), len(small))
	}
	if e := d.stats.Errors.Load(); e != 1 {
		t.Errorf("errors = %d, want 1 for the cut datagram", e)
	}
	if _, err := client.Write(big); err != nil {
		t.Fatal(err)
	}
	if got, _ = readAll(t, d, 1); !bytes.Equal(got, big) {
		t.Errorf("a large datagram after the slots grew: read %d bytes, want %d", len(got), len(big))
	}
}

// TestDatagramsPaceATrickle: a sender of one datagram a millisecond, as a
// smoothly paced encoder sends, is read a batch per readPace or so, not a
// datagram per read.
func TestDatagramsPaceATrickle(t *testing.T) {
	conn, client := udpPair(t)
	d := newDatagrams(conn, &media.InputStats{})
	if d.batch == nil {
		t.Skip("no batch reads here")
	}
	const sent = 100
	go func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for i := range sent {
			if _, err := client.Write(tsDatagram(i, 7)); err != nil {
				return
			}
			<-tick.C
		}
	}()
	_, reads := readAll(t, d, sent*7*188)
	if reads > sent/2 {
		t.Errorf("%d reads for %d datagrams a millisecond apart; want at most %d", reads, sent, sent/2)
	}
	t.Logf("%d reads for %d datagrams", reads, sent)
}

// BenchmarkDatagrams reads 32 queued datagrams of 7 TS packets (a 4
// Mbit/s stream's 90 ms): by one recvmmsg, and one by one as before.
func BenchmarkDatagrams(b *testing.B) {
	b.Run("recvmmsg", func(b *testing.B) { benchDatagrams(b, true) })
	b.Run("read", func(b *testing.B) { benchDatagrams(b, false) })
}

func benchDatagrams(b *testing.B, batch bool) {
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	client, err := net.Dial("udp4", conn.LocalAddr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = client.Close() }()
	d := newDatagrams(conn, &media.InputStats{})
	if !batch {
		d.batch = nil
	}
	dg := tsDatagram(1, 7)
	buf := make([]byte, 64<<10)
	b.SetBytes(32 * int64(len(dg)))
	b.ReportAllocs()
	reads := 0
	for b.Loop() {
		for range 32 {
			if _, err := client.Write(dg); err != nil {
				b.Fatal(err)
			}
		}
		for got := 0; got < 32*len(dg); reads++ {
			n, err := d.Read(buf)
			if err != nil {
				b.Fatal(err)
			}
			got += n
		}
	}
	b.ReportMetric(float64(reads)/float64(b.N), "reads/op")
}
