//go:build e2e

package main

import (
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"streamhive/actors/auth/authtest"
	"streamhive/media/mediatest"
)

// TestBrowserTokenReachesEveryRequest plays LL-HLS in headless Chromium
// with hls.js from a URL with ?token=: every playlist, blocking reload,
// part and segment request the player makes carries the token, and the
// backend is asked once: the whole playback is one session.
func TestBrowserTokenReachesEveryRequest(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	backend := authtest.NewBackend(t)
	backend.Set("browser", authtest.Allow("X-AuthDuration", "300"))
	p := startProtected(t, backend.URL)
	rec := recordingProxy(t, p.base)
	pp := servePlayer(t)
	chromium(t, pp.base+"/player.html?kind=hls&ll=1&src="+url.QueryEscape(rec.base+"/tv/index.ll.m3u8?token=browser"))
	var first, rep playerReport
	started := false
	mediatest.WaitFor(t, 45*time.Second, "5 s of hls.js playback", func() bool {
		rep = pp.report()
		if rep.Error != "" {
			t.Fatalf("player error: %s", rep.Error)
		}
		if !started && rep.CurrentTime > 0 {
			first, started = rep, true
		}
		return started && rep.CurrentTime-first.CurrentTime >= 5 && rep.Manifests >= 3
	})
	var playlists, blocking, parts, segments int
	for _, r := range rec.requests() {
		if r.query.Has("_HLS_msn") {
			blocking++
		}
		if r.query.Get("token") != "browser" || r.status != 200 {
			t.Errorf("%s?%s: token %q, status %d", r.path, r.query.Encode(), r.query.Get("token"), r.status)
		}
		switch {
		case strings.HasSuffix(r.path, ".m3u8"):
			playlists++
		case strings.Contains(r.path, ".part-"):
			parts++
		case isMedia(r.path):
			segments++
		}
	}
	t.Logf("hls.js: %d playlist (%d blocking), %d part, %d segment/init requests", playlists, blocking, parts, segments)
	if playlists < 3 || blocking == 0 || parts < 5 {
		t.Errorf("too few requests to judge: %d playlists, %d parts, %d segments", playlists, parts, segments)
	}
	if n := backend.Count("browser"); n != 1 {
		t.Errorf("the backend was asked %d times, want 1: one session for the whole playback", n)
	}
	if n := backend.Count(); n != 1 {
		t.Errorf("the backend was asked %d times in all, want 1", n)
	}
}

// player is one ffmpeg playing HLS through the recording proxy.
type player struct {
	token string
	cmd   *exec.Cmd
}

// startPlayers starts one ffmpeg HLS player per token, reading in real
// time (-re) as a viewer does, for at most d.
func startPlayers(t *testing.T, base string, tokens []string, d time.Duration) []*player {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	var ps []*player
	for _, tok := range tokens {
		cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin", "-re", "-i", base+"/tv/index.m3u8?token="+tok,
			"-c", "copy", "-f", "null", "-")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		ps = append(ps, &player{token: tok, cmd: cmd})
	}
	return ps
}

// playing returns the tokens whose segment requests got 200 since t0.
func (r *recorder) playing(since time.Time) map[string]int {
	out := map[string]int{}
	for _, q := range r.requests() {
		if q.at.After(since) && isMedia(q.path) && q.status == 200 {
			out[q.query.Get("token")]++
		}
	}
	return out
}

// TestMaxSessionsPerUser: ten ffmpeg players with ten tokens that the
// backend maps to one user with X-Max-Sessions: 3; exactly three of them
// keep getting segments.
func TestMaxSessionsPerUser(t *testing.T) {
	backend := authtest.NewBackend(t)
	backend.SetDefault(authtest.Allow("X-UserId", "u1", "X-Max-Sessions", "3", "X-AuthDuration", "300"))
	backend.Set("probe", authtest.Allow("X-AuthDuration", "300")) // not u1's
	p := startProtected(t, backend.URL)
	waitPlaylist(t, p.base+"/tv/mono.m3u8?token=probe")
	rec := recordingProxy(t, p.base)
	var tokens []string
	for i := range 10 {
		tokens = append(tokens, fmt.Sprintf("viewer-%d", i))
	}
	startPlayers(t, rec.base, tokens, 40*time.Second)
	time.Sleep(12 * time.Second) // every player past its first requests, the limit applied
	since := time.Now()
	time.Sleep(5 * time.Second) // five segments of 1 s
	got := rec.playing(since)
	if len(got) != 3 {
		t.Errorf("%d players got segments in the last 5 s, want exactly 3: %v", len(got), got)
	}
	code, body := p.do("GET", "/streamer/api/v3/sessions", "", "")
	if code != 200 {
		t.Fatalf("GET sessions: %d %s", code, body)
	}
	list := decode[struct {
		Sessions []struct {
			Token  string `json:"token"`
			UserID string `json:"user_id"`
		} `json:"sessions"`
	}](t, body)
	var mine []string
	for _, s := range list.Sessions {
		if s.UserID == "u1" {
			mine = append(mine, s.Token)
		}
	}
	if len(mine) != 3 {
		t.Errorf("user u1 holds %d sessions, want 3: %v", len(mine), mine)
	}
}

// TestKickedSessionStops: a session kicked through the API (DELETE
// /sessions/{id}) gets no segment later than one segment duration after
// the kick, and its next requests are refused.
func TestKickedSessionStops(t *testing.T) {
	backend := authtest.NewBackend(t)
	backend.SetDefault(authtest.Allow("X-AuthDuration", "300"))
	p := startProtected(t, backend.URL)
	rec := recordingProxy(t, p.base)
	startPlayers(t, rec.base, []string{"kickme", "stays"}, 40*time.Second)
	mediatest.WaitFor(t, 20*time.Second, "both players get segments", func() bool {
		got := rec.playing(time.Time{})
		return got["kickme"] > 0 && got["stays"] > 0
	})
	id := sessionID(t, p, "kickme")
	kicked := time.Now()
	if code, body := p.do("DELETE", "/streamer/api/v3/sessions/"+id, "", ""); code/100 != 2 {
		t.Fatalf("DELETE session: %d %s", code, body)
	}
	time.Sleep(5 * time.Second)
	const segment = time.Second // segment_duration 1
	var refused bool
	for _, r := range rec.requests() {
		if r.query.Get("token") != "kickme" || r.at.Before(kicked) {
			continue
		}
		if isMedia(r.path) && r.status == 200 && r.at.After(kicked.Add(segment)) {
			t.Errorf("kicked session got %s %v after the kick", r.path, r.at.Sub(kicked))
		}
		refused = refused || r.status == 403
	}
	if !refused {
		t.Error("the kicked player's requests were never refused")
	}
	if got := rec.playing(kicked.Add(segment)); got["stays"] == 0 {
		t.Errorf("the other player stopped too: %v", got)
	}
}

// sessionID finds the id of token's session in GET /sessions.
func sessionID(t *testing.T, p *proc, token string) string {
	t.Helper()
	code, body := p.do("GET", "/streamer/api/v3/sessions", "", "")
	if code != 200 {
		t.Fatalf("GET sessions: %d %s", code, body)
	}
	list := decode[struct {
		Sessions []struct {
			ID    string `json:"id"`
			Token string `json:"token"`
		} `json:"sessions"`
	}](t, body)
	for _, s := range list.Sessions {
		if s.Token == token {
			return s.ID
		}
	}
	t.Fatalf("no session with token %q in %s", token, body)
	return ""
}
