package udp

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"testing"
	"time"

	"golang.org/x/net/ipv4"

	"streamhive/media"
	"streamhive/protocols/mpegts/mpegtstest"
)

// freePort returns a UDP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// group returns a multicast group of the organisation-local scope that
// parallel test runs are unlikely to share.
func group() string {
	return fmt.Sprintf("239.255.%d.%d", rand.IntN(250)+1, rand.IntN(250)+1)
}

type pull struct {
	rec    *mpegtstest.Recorder
	stats  *media.InputStats
	done   chan error
	cancel context.CancelFunc
}

func startPull(t *testing.T, url string, options map[string]string) *pull {
	t.Helper()
	p := &pull{rec: mpegtstest.NewRecorder(), stats: &media.InputStats{}, done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(media.WithInputStats(context.Background(), p.stats))
	p.cancel = cancel
	go func() { p.done <- (Puller{}).Pull(ctx, url, options, p.rec.Publish) }()
	t.Cleanup(func() {
		cancel()
		<-p.done
	})
	return p
}

// stop cancels the pull and checks that it ends with ctx.Err().
func (p *pull) stop(t *testing.T) {
	t.Helper()
	p.cancel()
	select {
	case err := <-p.done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Pull returned %v, want context.Canceled", err)
		}
		p.done <- err // for the cleanup
	case <-time.After(5 * time.Second):
		t.Fatal("Pull did not return after cancel")
	}
}

// sender sends a clip to addr from 127.0.0.1, looping until the test
// ends, 7 packets a datagram, optionally in RTP, after some garbage
// datagrams; paced at one datagram per 200 µs so that the socket buffer
// never overflows.
func sender(t *testing.T, addr string, clip []byte, rtp bool, garbage int) {
	t.Helper()
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	pc := ipv4.NewPacketConn(c)
	lo, err := interfaceOf(mustAddr("127.0.0.1"))
	if err != nil {
		t.Fatal(err)
	}
	_ = pc.SetMulticastInterface(lo)
	_ = pc.SetMulticastLoopback(true)
	_ = pc.SetMulticastTTL(0)
	dst, err := net.ResolveUDPAddr("udp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() {
		cancel()
		<-done
		_ = c.Close()
	})
	go func() {
		defer close(done)
		tick := time.NewTicker(200 * time.Microsecond)
		defer tick.Stop()
		rng := rand.New(rand.NewPCG(5, 6))
		seq := 0
		send := func(b []byte) bool {
			if rtp {
				hdr := []byte{0x80, 33, byte(seq >> 8), byte(seq), 0, 0, 0, 0, 1, 2, 3, 4}
				b = append(hdr, b...)
				seq++
			}
			_, _ = c.WriteTo(b, dst)
			select {
			case <-ctx.Done():
				return false
			case <-tick.C:
				return true
			}
		}
		for {
			for range garbage {
				junk := make([]byte, 1+rng.IntN(1400))
				for i := range junk {
					junk[i] = byte(rng.Uint32())
				}
				if !send(junk) {
					return
				}
			}
			for i := 0; i < len(clip); i += 7 * 188 {
				if !send(clip[i:min(len(clip), i+7*188)]) {
					return
				}
			}
		}
	}()
}

func TestSourceSpecificMulticastRTP(t *testing.T) {
	g, port := group(), freePort(t)
	p := startPull(t, fmt.Sprintf("udp://127.0.0.1@%s:%d/127.0.0.1", g, port), nil)
	sender(t, fmt.Sprintf("%s:%d", g, port), mpegtstest.H264AAC(t, "1"), true, 0)
	p.rec.WaitFor(t, 10*time.Second, p.done, "video", mpegtstest.Frames(0, 20))
	p.stop(t)
	if tracks, _, _ := p.rec.Snapshot(); len(tracks) != 2 {
		t.Errorf("tracks %+v", tracks)
	}
}

// TestTwoProgramsOfOneGroup runs two inputs on the same group and port,
// one per program of an MPTS, as a headend's streams do.
func TestTwoProgramsOfOneGroup(t *testing.T) {
	g, port := group(), freePort(t)
	url := fmt.Sprintf("udp://%s:%d/127.0.0.1", g, port)
	one := startPull(t, url, map[string]string{"program": "1"})
	two := startPull(t, url, map[string]string{"program": "2"})
	sender(t, fmt.Sprintf("%s:%d", g, port), mpegtstest.MPTS(t), false, 0)
	for i, p := range []*pull{one, two} {
		p.rec.WaitFor(t, 10*time.Second, p.done, fmt.Sprintf("program %d", i+1), mpegtstest.Frames(0, 10))
		p.stop(t)
	}
	t1, _, _ := one.rec.Snapshot()
	t2, _, _ := two.rec.Snapshot()
	if len(t1) != 2 || t1[0].Width != 320 || len(t2) != 1 || t2[0].Width != 160 {
		t.Errorf("program 1 tracks %+v, program 2 tracks %+v", t1, t2)
	}
}

// TestGarbageDatagrams sends noise before the stream: it is counted and
// the stream still comes up.
func TestGarbageDatagrams(t *testing.T) {
	port := freePort(t)
	p := startPull(t, fmt.Sprintf("udp://127.0.0.1:%d", port), nil)
	sender(t, fmt.Sprintf("127.0.0.1:%d", port), mpegtstest.H264AAC(t, "1"), false, 50)
	p.rec.WaitFor(t, 10*time.Second, p.done, "video", mpegtstest.Frames(0, 20))
	p.stop(t)
	if p.stats.TS.SyncErrors.Load() == 0 {
		t.Error("no sync errors counted for garbage datagrams")
	}
}
