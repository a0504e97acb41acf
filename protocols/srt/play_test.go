package srt

import (
	"bytes"
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// fakePlayer admits the stream it names and writes ts to each viewer.
type fakePlayer struct {
	stream string
	ts     []byte

	mu     sync.Mutex
	asked  []PlayRequest
	closed int
}

func (p *fakePlayer) AdmitPlay(_ context.Context, req PlayRequest) (Play, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, req)
	if string(req.Name) != p.stream {
		return nil, Reject(ReasonNotFound, errNoStream)
	}
	return fakePlay{p}, nil
}

func (p *fakePlayer) closes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

type fakePlay struct{ p *fakePlayer }

func (f fakePlay) Serve(ctx context.Context, w io.Writer) error {
	if _, err := w.Write(f.p.ts); err != nil {
		return err
	}
	<-ctx.Done()
	return ctx.Err()
}

func (f fakePlay) Close() {
	f.p.mu.Lock()
	f.p.closed++
	f.p.mu.Unlock()
}

// startPlayServer runs a Server with p as its Player.
func startPlayServer(t *testing.T, p Player, playOnly bool, passphrase string) *Server {
	t.Helper()
	s, _ := startServer(t, newFakeHooks("cam1"), passphrase, func(s *Server) { s.Player, s.PlayOnly = p, playOnly })
	return s
}

// readAll dials url as a viewer and reads until n bytes came or the
// connection ends.
func readAll(t *testing.T, rawURL string, n int) ([]byte, error) {
	t.Helper()
	// A latency well above SRT's 120 ms default: on a loaded machine a
	// packet that arrives later than the latency is dropped as too late
	// and never sent again, and the viewer would wait for it in vain.
	addr, cfg, err := dialConfig(rawURL, map[string]string{"latency": "1000"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, closeConn, err := dial(ctx, addr, cfg)
	if err != nil {
		return nil, err
	}
	defer closeConn()
	var got []byte
	buf := make([]byte, 1500)
	for len(got) < n {
		m, err := conn.Read(buf)
		if err != nil {
			return got, err
		}
		if m > 7*188 {
			t.Errorf("an SRT payload of %d bytes: want at most 1316", m)
		}
		got = append(got, buf[:m]...)
	}
	return got, nil
}

func tsBytes(n int) []byte {
	b := make([]byte, n*188)
	for i := range n {
		b[i*188] = 0x47
		b[i*188+1] = byte(i)
	}
	return b
}

func TestServerPlay(t *testing.T) {
	ts := tsBytes(20) // three full payloads and a short one
	for _, tt := range []struct {
		name, streamid, passphrase string
		playOnly                   bool
	}{
		{"m=request", "#!::r=cam1,m=request,u=tok,a=vlc", "", false},
		{"play port without m=", "#!::r=cam1", "", true},
		{"passphrase", "#!::r=cam1,m=request", "0123456789", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &fakePlayer{stream: "cam1", ts: ts}
			s := startPlayServer(t, p, tt.playOnly, tt.passphrase)
			got, err := readAll(t, srtURL(s.Addr(), tt.streamid, tt.passphrase), len(ts))
			if err != nil || !bytes.Equal(got, ts) {
				t.Fatalf("read %d bytes (%v), want the %d sent", len(got), err, len(ts))
			}
			p.mu.Lock()
			req := p.asked[0]
			p.mu.Unlock()
			if tt.name == "m=request" && (req.ID.User != "tok" || req.ID.UserAgent != "vlc" || req.Peer == nil) {
				t.Errorf("PlayRequest = %+v", req)
			}
		})
	}
}

func TestServerPlayRefuses(t *testing.T) {
	for _, tt := range []struct {
		name, streamid, passphrase string
		player                     bool
		playOnly                   bool
	}{
		{"no player", "#!::r=cam1,m=request", "", false, false},
		{"unknown stream", "#!::r=nope,m=request", "", true, false},
		{"publish on a play port", "#!::r=cam1,m=publish", "", true, true},
		{"unknown mode", "#!::r=cam1,m=bidirectional", "", true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &fakePlayer{stream: "cam1", ts: tsBytes(1)}
			var player Player
			if tt.player {
				player = p
			}
			s := startPlayServer(t, player, tt.playOnly, tt.passphrase)
			if _, err := readAll(t, srtURL(s.Addr(), tt.streamid, tt.passphrase), 1); err == nil {
				t.Error("the caller was served")
			}
		})
	}
	t.Run("wrong passphrase", func(t *testing.T) {
		p := &fakePlayer{stream: "cam1", ts: tsBytes(1)}
		s := startPlayServer(t, p, true, "0123456789")
		if _, err := readAll(t, srtURL(s.Addr(), "#!::r=cam1", "9876543210"), 1); err == nil {
			t.Error("the caller was served")
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		if len(p.asked) != 0 {
			t.Error("the Player was asked before the passphrase was checked")
		}
	})
}

// TestServerPlayCloses: the Play is closed once the viewer leaves, and a
// Close of the server ends its Serve.
func TestServerPlayCloses(t *testing.T) {
	p := &fakePlayer{stream: "cam1", ts: tsBytes(7)}
	s := startPlayServer(t, p, true, "")
	if _, err := readAll(t, srtURL(s.Addr(), "#!::r=cam1", ""), 7*188); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "the viewer's Close", func() bool { return p.closes() == 1 })
}
