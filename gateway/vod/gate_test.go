package vod

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"streamhive/actors/auth"
	"streamhive/actors/sessions"
)

// gate admits viewers whose token is "ok", giving them a session whose
// query carries it, and counts what each protocol was sent.
type gate struct {
	mu     sync.Mutex
	asked  []sessions.Viewer
	sentTo map[string]int
}

func (g *gate) Admit(_ context.Context, v sessions.Viewer) sessions.Admission {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.asked = append(g.asked, v)
	if v.Token != "ok" {
		return sessions.Admission{Verdict: auth.Deny}
	}
	return sessions.Admission{Verdict: auth.Allow, Ticket: ticket{g: g, proto: v.Proto}, ChildQuery: "token=ok&s=\"1\""}
}

type ticket struct {
	g     *gate
	proto string
}

func (t ticket) ID() string { return "t" }
func (t ticket) Sent(n int) {
	t.g.mu.Lock()
	t.g.sentTo[t.proto] += n
	t.g.mu.Unlock()
}
func (t ticket) Ended() <-chan struct{} { return nil }
func (t ticket) Close()                 {}

// settings is locs with Flussonic's per-location options.
type settings struct {
	locs
	download bool
	target   time.Duration
}

func (s settings) Download(string) bool                 { return s.download }
func (s settings) SegmentDuration(string) time.Duration { return s.target }

// TestGate: every request goes through the Gate, as LOCATION/PATH with its
// protocol; a denied viewer gets 403, an admitted one the session's query
// (made safe) in every URI and its bytes counted.
func TestGate(t *testing.T) {
	g := &gate{sentTo: map[string]int{}}
	h := New(Options{Locations: locs{folder(t)}, Gate: g})
	base := "/vod/movies/progressive.mp4/"
	if rc, _ := get(h, base+"index.m3u8?token=no"); rc.Response.StatusCode() != 403 {
		t.Fatalf("denied viewer: %d", rc.Response.StatusCode())
	}
	rc, _ := get(h, base+"mono.m3u8?token=ok")
	body := string(rc.Response.Body())
	if rc.Response.StatusCode() != 200 || !strings.Contains(body, "seg-0.ts?token=ok&s=%221%22\n") {
		t.Fatalf("admitted viewer's playlist: %d %s", rc.Response.StatusCode(), body)
	}
	get(h, base+"seg-0.ts?token=ok")
	get(h, base+"index.mpd?token=ok")
	g.mu.Lock()
	defer g.mu.Unlock()
	if v := g.asked[0]; v.Stream != "vod/movies/progressive.mp4" || v.Proto != "hls" {
		t.Errorf("asked %+v", v)
	}
	if g.sentTo["hls"] <= len(body) || g.sentTo["dash"] == 0 {
		t.Errorf("bytes sent %v", g.sentTo)
	}
}

// TestLocationSettings: a location without download refuses the file
// itself and still plays it; its segment_duration sets the segments.
func TestLocationSettings(t *testing.T) {
	dir := folder(t)
	count := func(h *Handler) int {
		rc, _ := get(h, "/vod/movies/progressive.mp4/mono.m3u8")
		return strings.Count(string(rc.Response.Body()), "#EXTINF")
	}
	off := New(Options{Locations: settings{locs: locs{dir}, target: time.Second}})
	if rc, _ := get(off, "/vod/movies/progressive.mp4"); rc.Response.StatusCode() != 403 {
		t.Errorf("download off: %d", rc.Response.StatusCode())
	}
	on := New(Options{Locations: settings{locs: locs{dir}, download: true, target: 10 * time.Second}})
	if rc, _ := get(on, "/vod/movies/progressive.mp4", "Range", "bytes=0-7"); rc.Response.StatusCode() != 206 {
		t.Errorf("download on: %d", rc.Response.StatusCode())
	}
	if short, long := count(off), count(on); short <= long {
		t.Errorf("1 s segments: %d, 10 s: %d", short, long)
	}
}
