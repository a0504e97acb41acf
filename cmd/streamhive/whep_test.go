package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"
	"github.com/valyala/fasthttp"

	"streamhive/actors/auth"
	"streamhive/actors/sessions"
	"streamhive/gateway/live"
	"streamhive/gateway/play"
	"streamhive/media"
	"streamhive/media/hls"
	"streamhive/media/hub"
	"streamhive/media/mediatest"
	"streamhive/media/segment"
	"streamhive/media/stats"
	"streamhive/protocols/pionrtc"
	"streamhive/protocols/whep"
	"streamhive/protocols/whep/wheptest"
)

// frameStream is a local stream that plays only over connection outputs:
// its frames come from a fed hub. With AAC audio it implements
// live.OpusAudio and counts the wants and releases.
type frameStream struct {
	h               *hub.Hub
	wants, released atomic.Int32
}

func (s *frameStream) Window() *segment.Window { return nil }
func (s *frameStream) Next(ctx context.Context, _ *segment.Window) (*segment.Window, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func (s *frameStream) Wait(ctx context.Context, _ uint64, _ int) error {
	<-ctx.Done()
	return ctx.Err()
}
func (s *frameStream) Media(context.Context, hls.Ref) ([]byte, error) { return nil, nil }
func (s *frameStream) Enabled(string) bool                            { return true }
func (s *frameStream) Preview(context.Context) ([]byte, error)        { return nil, live.ErrNotProducing }

func (s *frameStream) Stats() (stats.Stream, bool)                   { return stats.Stream{}, false }
func (s *frameStream) SelectInput(context.Context, int) error        { return nil }
func (s *frameStream) Stop(context.Context) error                    { return nil }
func (s *frameStream) Frames(context.Context) (*hub.Consumer, error) { return s.h.Subscribe(), nil }

// opusStream adds live.OpusAudio to a frameStream.
type opusStream struct{ *frameStream }

func (s opusStream) WantOpus() (func(), error) {
	s.wants.Add(1)
	var once sync.Once
	return func() { once.Do(func() { s.released.Add(1) }) }, nil
}

type oneStream struct {
	name string
	st   live.Stream
}

func (l oneStream) Locate(name string) (live.Location, bool) {
	if name != l.name {
		return live.Location{}, false
	}
	return live.Location{Stream: l.st}, true
}

// recordingGate admits everyone and keeps the tickets.
type recordingGate struct {
	mu      sync.Mutex
	viewers []sessions.Viewer
	tickets []*fakeTicket
}

func (g *recordingGate) Admit(_ context.Context, v sessions.Viewer) sessions.Admission {
	g.mu.Lock()
	defer g.mu.Unlock()
	t := &fakeTicket{ended: make(chan struct{})}
	g.viewers = append(g.viewers, v)
	g.tickets = append(g.tickets, t)
	return sessions.Admission{Verdict: auth.Allow, Ticket: t}
}

func (g *recordingGate) ticket(i int) *fakeTicket {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.tickets[i]
}

type fakeTicket struct {
	ended  chan struct{}
	sent   atomic.Int64
	closed atomic.Int32
}

func (t *fakeTicket) ID() string             { return "sid" }
func (t *fakeTicket) Sent(n int)             { t.sent.Add(int64(n)) }
func (t *fakeTicket) Ended() <-chan struct{} { return t.ended }
func (t *fakeTicket) Close()                 { t.closed.Add(1) }

// whepServer serves stream "cam" (audio of codec audio) at /cam/whep
// through the real WHEP server and adapter.
func whepServer(t *testing.T, audio media.Codec) (string, *frameStream, *recordingGate) {
	t.Helper()
	return whepServerOn(t, audio, nil)
}

// whepServerOn is whepServer with its sessions on n's shared sockets
// (nil: ephemeral ports).
func whepServerOn(t *testing.T, audio media.Codec, n *pionrtc.Net) (string, *frameStream, *recordingGate) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	h, err := wheptest.Feed(ctx, audio)
	if err != nil {
		t.Fatal(err)
	}
	fs := &frameStream{h: h}
	var st live.Stream = fs
	if audio == media.CodecAAC {
		st = opusStream{fs}
	}
	ws, err := whep.New(whep.Config{IPFilter: func(ip net.IP) bool { return ip.IsLoopback() }, Net: n})
	if err != nil {
		t.Fatal(err)
	}
	gate := &recordingGate{}
	ph := play.New(play.Options{Streams: oneStream{"cam", st}, WHEP: playWHEP{ws}, Gate: gate})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: ph.Serve}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		ph.Close()
		ws.Close()
		_ = srv.Shutdown()
	})
	return "http://" + ln.Addr().String(), fs, gate
}

func post(t *testing.T, url, ctype, body string) *http.Response {
	t.Helper()
	return do(t, http.MethodPost, url, ctype, body)
}

func do(t *testing.T, method, url, ctype, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

func offer(t *testing.T, c wheptest.Codecs) (*wheptest.Client, string) {
	t.Helper()
	cl, err := wheptest.New(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	sdp, err := cl.Offer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return cl, sdp
}

// A pion viewer plays over HTTP: 201 with the answer and Location, RTP
// flows, the Gate admitted it as webrtc and counts its bytes; DELETE ends
// it (the session closes) and a second DELETE finds nothing.
func TestWHEPPlaysOverHTTP(t *testing.T) {
	base, _, gate := whepServer(t, media.CodecOpus)
	cl, sdp := offer(t, wheptest.H264Opus)
	resp := post(t, base+"/cam/whep", "application/sdp", sdp)
	answer, _ := io.ReadAll(resp.Body)
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusCreated || !strings.HasPrefix(loc, "/cam/whep/") || resp.Header.Get("Content-Type") != "application/sdp" {
		t.Fatalf("POST: %d, Location %q: %s", resp.StatusCode, loc, answer)
	}
	if err := cl.SetAnswer(string(answer)); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "video and audio RTP", func() bool {
		return cl.Keyframes.Load() > 0 && cl.Audio.Load() > 10
	})
	if v := gate.viewers[0]; v.Proto != "webrtc" || v.Stream != "cam" {
		t.Errorf("gate saw %+v", v)
	}
	tk := gate.ticket(0)
	if tk.sent.Load() == 0 {
		t.Error("no bytes reported to the session")
	}
	if r := do(t, http.MethodDelete, base+loc, "", ""); r.StatusCode != http.StatusOK {
		t.Fatalf("DELETE: %d", r.StatusCode)
	}
	if tk.closed.Load() != 1 {
		t.Errorf("session closed %d times, want 1", tk.closed.Load())
	}
	if r := do(t, http.MethodDelete, base+loc, "", ""); r.StatusCode != http.StatusNotFound {
		t.Fatalf("second DELETE: %d, want 404", r.StatusCode)
	}
}

// Refusals come in the API's error shape with their status.
func TestWHEPRefusals(t *testing.T) {
	base, _, _ := whepServer(t, media.CodecOpus)
	_, good := offer(t, wheptest.H264Opus)
	_, vp8 := offer(t, wheptest.Codecs{Video: webrtc.MimeTypeVP8, Audio: webrtc.MimeTypePCMU})
	for _, c := range []struct {
		name, path, ctype, body string
		status                  int
	}{
		{"bad SDP", "/cam/whep", "application/sdp", "not sdp", http.StatusBadRequest},
		{"unknown stream", "/nope/whep", "application/sdp", good, http.StatusNotFound},
		{"unsupported codecs", "/cam/whep", "application/sdp", vp8, http.StatusBadRequest},
		{"not SDP", "/cam/whep", "text/plain", good, http.StatusUnsupportedMediaType},
		{"bad track query", "/cam/whep?filter.tracks=x9", "application/sdp", good, http.StatusBadRequest},
		{"PATCH of no session", "/cam/whep/0123456789abcdef0123456789abcdef", "application/trickle-ice-sdpfrag", "a=end-of-candidates\r\n", http.StatusNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			method := http.MethodPost
			if strings.Count(c.path, "/") == 3 {
				method = http.MethodPatch
			}
			resp := do(t, method, base+c.path, c.ctype, c.body)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.status || !bytes.Contains(body, []byte(`"errors"`)) {
				t.Errorf("%d %s, want %d and an error body", resp.StatusCode, body, c.status)
			}
		})
	}
}

// An AAC stream asks for an Opus rendition while the viewer plays and
// gives it back when it leaves; a kicked viewer's session ends.
func TestWHEPOpusForAACAndKick(t *testing.T) {
	base, fs, gate := whepServer(t, media.CodecAAC)
	cl, sdp := offer(t, wheptest.H264Opus)
	resp := post(t, base+"/cam/whep", "application/sdp", sdp)
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated || !strings.Contains(string(answer), "m=audio 9") || !strings.Contains(string(answer), "opus/48000") {
		t.Fatalf("POST: %d: %s", resp.StatusCode, answer)
	}
	if err := cl.SetAnswer(string(answer)); err != nil {
		t.Fatal(err)
	}
	if fs.wants.Load() != 1 {
		t.Fatalf("WantOpus called %d times", fs.wants.Load())
	}
	mediatest.WaitFor(t, 10*time.Second, "video", func() bool { return cl.Keyframes.Load() > 0 })
	tk := gate.ticket(0)
	close(tk.ended)
	mediatest.WaitFor(t, 5*time.Second, "the kicked session's end", func() bool {
		return tk.closed.Load() == 1 && fs.released.Load() == 1
	})
	if r := do(t, http.MethodDelete, base+resp.Header.Get("Location"), "", ""); r.StatusCode != http.StatusNotFound {
		t.Errorf("DELETE after the kick: %d, want 404", r.StatusCode)
	}
}
