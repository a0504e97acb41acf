package listener

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"

	"streamhive/actors/auth"
	"streamhive/actors/sessions"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/media/hub"
)

// fakeTicket counts its Close calls.
type fakeTicket struct {
	mu     sync.Mutex
	closed int
	ended  chan struct{}
}

func (t *fakeTicket) ID() string             { return "s1" }
func (t *fakeTicket) Sent(int)               {}
func (t *fakeTicket) Ended() <-chan struct{} { return t.ended }
func (t *fakeTicket) Close() {
	t.mu.Lock()
	t.closed++
	t.mu.Unlock()
}

func (t *fakeTicket) closes() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.closed
}

// fakeViewers admit viewers with token "good" to one shared session
// (as the Table does for one session key) and subscribe them to a hub.
type fakeViewers struct {
	ticket *fakeTicket
	hub    *hub.Hub
	seen   []sessions.Viewer
}

func (v *fakeViewers) Admit(_ context.Context, vw sessions.Viewer) sessions.Admission {
	v.seen = append(v.seen, vw)
	if vw.Token != "good" {
		return sessions.Admission{Verdict: auth.Deny}
	}
	return sessions.Admission{Verdict: auth.Allow, Ticket: v.ticket}
}

func (v *fakeViewers) Subscribe(_ context.Context, name, _ string) (*hub.Consumer, error) {
	if name == "down" {
		return nil, ErrStreamDown
	}
	return v.hub.Subscribe(), nil
}

func (v *fakeViewers) Parts(context.Context, string, string) (TSParts, error) {
	return nil, errors.New("not used")
}

func newPlayPublisher(t *testing.T) (*publisher, *fakeViewers) {
	t.Helper()
	h := hub.New(hub.Options{})
	h.SetTracks([]media.Track{{ID: 0, Codec: media.CodecAAC, AudioConfig: []byte{0x11, 0x90}, SampleRate: 48000, Channels: 2}})
	t.Cleanup(h.Close)
	v := &fakeViewers{ticket: &fakeTicket{ended: make(chan struct{})}, hub: h}
	lookup := func(name string) (*stream.Status, bool) { return &stream.Status{}, name == "tv" || name == "down" }
	return &publisher{lookup: lookup, viewers: v}, v
}

// TestPlayAdmitsThroughTheGate: the gate sees the viewer's protocol,
// token (from the query) and user agent; a denied viewer, an unknown
// stream and a stream that is down are refused with their errors.
func TestPlayAdmitsThroughTheGate(t *testing.T) {
	p, v := newPlayPublisher(t)
	ctx := context.Background()
	for _, c := range []struct {
		name, query string
		want        error
	}{
		{"tv", "token=bad", ErrViewerDenied},
		{"tv", "", ErrViewerDenied},
		{"nosuch", "token=good", ErrNoStream},
		{"down", "token=good", ErrStreamDown},
	} {
		if _, err := p.play(ctx, p.viewerOf(c.name, "rtmp", nil, c.query, "LNX 9,0,124,2"), "rtmp"); !errors.Is(err, c.want) {
			t.Errorf("%s?%s: %v, want %v", c.name, c.query, err, c.want)
		}
	}
	if got := v.ticket.closes(); got != 1 {
		t.Errorf("ticket closed %d times, want once (the stream that is down)", got)
	}
	w, err := p.play(ctx, p.viewerOf("tv", "rtmp", nil, "token=good", "LNX 9,0,124,2"), "rtmp")
	if err != nil {
		t.Fatal(err)
	}
	w.close()
	last := v.seen[len(v.seen)-1]
	if last.Proto != "rtmp" || last.Token != "good" || last.UserAgent != "LNX 9,0,124,2" || last.Query != "token=good" {
		t.Errorf("the gate saw %+v", last)
	}
}

// TestPlayEachConnectionIsASession: two players on one machine (same
// address, no token) are two viewers for the gate, told apart by their
// connections, so one leaving never ends the other's session.
func TestPlayEachConnectionIsASession(t *testing.T) {
	p, _ := newPlayPublisher(t)
	a := p.viewerOf("tv", "rtsp", &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 5000}, "", "")
	b := p.viewerOf("tv", "rtsp", &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 5001}, "", "")
	if a.Conn == "" || a.Conn == b.Conn || a.IP != b.IP {
		t.Errorf("viewers %+v and %+v: want one address and two connections", a, b)
	}
}
