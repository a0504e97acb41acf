//go:build e2e

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"streamhive/actors/auth/authtest"
	"streamhive/actors/certs/certstest"
	"streamhive/media/mediatest"
	"streamhive/protocols/whip/whiptest"
)

// Publish protection with real publishers: ffmpeg over RTMP, RTSP, SRT,
// RTMPS and RTSPS, the pion WHIP client, against one server that runs
// every publish listener. Per protocol, pw_PROTO is protected by
// `password`, be_PROTO by `on_publish` to a live authtest.Backend and
// down_PROTO by `on_publish` to one that is down. The server reads tokens
// from the query key `pubkey` (auth_token).

const (
	pubPassword = "s3cret-pw"
	pubTokenKey = "pubkey"
)

// pubCred is what a publisher presents.
type pubCred struct{ password, token string }

// pubServer is the server under test and its publishers' addresses.
type pubServer struct {
	*proc
	be, srtBE, down               *authtest.Backend
	rtmp, rtsp, srt, rtmps, rtsps string // host:port
	clip                          string // H.264 + AAC, 8 s
	whipMedia                     *whiptest.Media
}

func startPublishAuth(t *testing.T) *pubServer {
	t.Helper()
	s := &pubServer{be: authtest.NewBackend(t), srtBE: authtest.NewBackend(t), down: authtest.NewBackend(t)}
	s.down.Close()
	dir := t.TempDir()
	pki := certstest.New(t)
	pki.Leaf(t, 10).Write(t, dir, "streamer", true)
	hostPort := func() string { return fmt.Sprintf("127.0.0.1:%d", freePort(t)) }
	s.rtmp, s.rtsp, s.rtmps, s.rtsps = hostPort(), hostPort(), hostPort(), hostPort()
	s.srt = fmt.Sprintf("127.0.0.1:%d", freeUDPPort(t))
	var conf strings.Builder
	fmt.Fprintf(&conf, "auth_token %s;\nrtmp %s;\nrtsp %s;\nsrt_publish { port %s; }\nrtmps %s;\nrtsps %s;\n",
		pubTokenKey, s.rtmp, s.rtsp, s.srt, s.rtmps, s.rtsps)
	for _, proto := range []string{"rtmp", "rtsp", "srt", "whip", "rtmps", "rtsps"} {
		be := s.be.URL
		if proto == "srt" {
			be = s.srtBE.URL // no token in a streamid: this backend answers every request alike
		}
		fmt.Fprintf(&conf, "stream pw_%s { input publish://; password %s; segment_duration 1; }\n", proto, pubPassword)
		fmt.Fprintf(&conf, "stream be_%s { input publish://; on_publish %s; segment_duration 1; }\n", proto, be)
		fmt.Fprintf(&conf, "stream down_%s { input publish://; on_publish %s; segment_duration 1; }\n", proto, s.down.URL)
	}
	port := freePort(t)
	s.proc = start(t, port, "-config", writeConfig(t, dir, port, conf.String()))
	s.clip = clipFile(t, t.TempDir(), "clip.mp4", 8)
	s.whipMedia = whiptest.MakeMedia(t, "320x180", 3)
	return s
}

// try starts one publisher of stream name with c over proto and returns a
// func that waits for its end: nil when it published to the end (it was
// let in), the refusal otherwise.
func (s *pubServer) try(t *testing.T, proto, name string, c pubCred) func() error {
	t.Helper()
	q := url.Values{}
	if c.password != "" {
		q.Set("password", c.password)
	}
	if c.token != "" {
		q.Set(pubTokenKey, c.token)
	}
	query := ""
	if len(q) > 0 {
		query = "?" + q.Encode()
	}
	switch proto {
	case "rtmp", "rtmps":
		return s.ffmpeg(t, fmt.Sprintf("%s://%s/live/%s%s", proto, map[string]string{"rtmp": s.rtmp, "rtmps": s.rtmps}[proto], name, query), "flv")
	case "rtsp":
		return s.ffmpeg(t, fmt.Sprintf("rtsp://%s/%s%s", s.rtsp, name, query), "rtsp", "-rtsp_transport", "tcp")
	case "rtsps":
		// The password as rtsp://user:password@: ffmpeg sends it when the
		// server challenges (Basic, inside TLS here).
		user := ""
		if c.password != "" {
			user = url.UserPassword("encoder", c.password).String() + "@"
			q.Del("password")
		}
		query = ""
		if len(q) > 0 {
			query = "?" + q.Encode()
		}
		return s.ffmpeg(t, fmt.Sprintf("rtsps://%s%s/%s%s", user, s.rtsps, name, query), "rtsp", "-rtsp_transport", "tcp")
	case "srt":
		id := "#!::r=" + name + ",m=publish"
		if c.password != "" {
			id += ",password=" + c.password
		}
		return s.ffmpeg(t, fmt.Sprintf("srt://%s?streamid=%s", s.srt, id), "mpegts")
	case "whip":
		bearer := c.password
		if bearer == "" {
			bearer = c.token
		}
		return s.whip(t, name, bearer)
	}
	t.Fatalf("no publisher for %s", proto)
	return nil
}

// ffmpeg publishes the clip, stream-copied into format, to target.
func (s *pubServer) ffmpeg(t *testing.T, target, format string, extra ...string) func() error {
	t.Helper()
	args := append([]string{"-v", "error", "-nostdin", "-re", "-i", s.clip, "-c", "copy", "-f", format}, extra...)
	cmd := exec.Command("ffmpeg", append(args, target)...)
	out := &mediatest.LogBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// One Wait, in its own goroutine: the caller and the cleanup both
	// wait on it.
	exited := make(chan struct{})
	var err error
	go func() { err = cmd.Wait(); close(exited) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-exited })
	return func() error {
		<-exited
		if err != nil {
			return fmt.Errorf("ffmpeg: %w: %s", err, strings.TrimSpace(out.String()))
		}
		return nil
	}
}

// whip offers to /NAME/whip with bearer (none when empty) and, once let
// in, sends the media.
func (s *pubServer) whip(t *testing.T, name, bearer string) func() error {
	t.Helper()
	c, err := whiptest.NewClient(whiptest.H264Opus)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	offer, err := c.Offer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/"+name+"/whip", strings.NewReader(offer))
	req.Header.Set("Content-Type", "application/sdp")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return func() error { return fmt.Errorf("whip: POST %d %s", resp.StatusCode, body) }
	}
	if err := c.SetAnswer(string(body)); err != nil {
		t.Fatal(err)
	}
	sent := make(chan error, 1)
	go func() { sent <- c.Send(ctx, s.whipMedia, 3) }()
	return func() error { return <-sent }
}

// refused runs a publisher that must be refused.
func (s *pubServer) refused(t *testing.T, proto, name string, c pubCred) {
	t.Helper()
	wait := s.try(t, proto, name, c)
	done := make(chan error, 1)
	go func() { done <- wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("%s publisher of %s with %+v was let in", proto, name, c)
		}
	case <-time.After(15 * time.Second):
		t.Errorf("%s publisher of %s with %+v still runs after 15 s: let in", proto, name, c)
	}
}

// notPlaying checks that stream name has nothing to play.
func (s *pubServer) notPlaying(t *testing.T, name string) {
	t.Helper()
	resp, err := http.Get(s.base + "/" + name + "/mono.m3u8")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode == http.StatusOK && strings.Contains(string(body), "#EXTINF") {
		t.Errorf("%s plays after refused publishers:\n%s", name, body)
	}
}

// plays starts a publisher that must be let in and checks its stream
// plays over HLS (ffprobe finds H.264).
func (s *pubServer) plays(t *testing.T, proto, name string, c pubCred) {
	t.Helper()
	wait := s.try(t, proto, name, c)
	ended := make(chan error, 1)
	go func() { ended <- wait() }()
	mediatest.WaitFor(t, 20*time.Second, name+" to list a segment", func() bool {
		select {
		case err := <-ended:
			t.Fatalf("%s publisher of %s ended early: %v", proto, name, err)
		default:
		}
		resp, err := http.Get(s.base + "/" + name + "/mono.m3u8")
		if err != nil {
			return false
		}
		defer func() { _ = resp.Body.Close() }()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode == http.StatusOK && strings.Contains(string(body), "#EXTINF")
	})
	streams, out, ok := probeStreams(t, s.base+"/"+name+"/index.m3u8")
	if ok && (len(streams) == 0 || streams[0].Codec != "h264") {
		t.Errorf("ffprobe %s: %s", name, out)
	}
}

// backendCase is one answer of the auth backend.
type backendCase struct {
	name   string
	answer authtest.Answer
}

var refusingBackends = []backendCase{
	{"deny", authtest.Deny()},
	{"error", authtest.Status(http.StatusInternalServerError)},
	{"timeout", authtest.Hang()},
}

// TestPublishProtection: per protocol, `password` lets in the right
// password and refuses a wrong or missing one; on_publish lets in what
// the backend allows and refuses its 403, its 500, its silence past the
// timeout, and everything when it is down; refused publishers play
// nothing; the backend is asked with auth-backend.yaml's fields; every
// refusal is logged with stream, proto, ip and reason, and no secret
// reaches the log.
func TestPublishProtection(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds of real media")
	}
	t0 := time.Now()
	s := startPublishAuth(t)
	t.Logf("server, clip and WHIP media ready in %v", time.Since(t0).Round(time.Millisecond))
	full := []string{"rtmp", "rtsp", "srt", "whip"}
	// The protocols run at once, whatever -parallel says (CI has 2 cores):
	// their time is mostly waiting on real-time clips and timeouts.
	var wg sync.WaitGroup
	for _, proto := range append(full, "rtmps", "rtsps") {
		wg.Go(func() { t.Run(proto, func(t *testing.T) { s.protocol(t, proto) }) })
	}
	wg.Wait()
	t.Run("auth_token key", func(t *testing.T) {
		// With auth_token pubkey, ?token= is not the token: the backend sees none.
		s.be.Set("stray", authtest.Allow())
		s.refused(t, "rtmp", "be_rtmp", pubCred{})
		wait := s.ffmpeg(t, fmt.Sprintf("rtmp://%s/live/be_rtmp?token=stray", s.rtmp), "flv")
		if wait() == nil {
			t.Error("?token= counted as the token under auth_token pubkey")
		}
	})
	logs := s.log.String()
	for _, secret := range []string{pubPassword, "wrong-pw", "rtmp-allow", "rtsp-deny"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log shows the secret %q", secret)
		}
	}
	for _, proto := range append(full, "rtmps", "rtsps") {
		s.refusalLogged(t, proto, "pw_"+proto, "password mismatch")
	}
	t.Logf("TestPublishProtection took %v", time.Since(t0).Round(time.Millisecond))
}

// protocol runs proto's password table and its backend table.
func (s *pubServer) protocol(t *testing.T, proto string) {
	pw := "pw_" + proto
	s.refused(t, proto, pw, pubCred{password: "wrong-pw"})
	s.refused(t, proto, pw, pubCred{})
	s.notPlaying(t, pw)
	s.plays(t, proto, pw, pubCred{password: pubPassword})
	be := s.be
	if proto == "srt" {
		be = s.srtBE
	}
	name, wire := "be_"+proto, proto
	if proto == "whip" {
		wire = "webrtc"
	}
	cases := refusingBackends
	if proto == "rtmps" || proto == "rtsps" {
		cases = cases[:1]
	}
	for _, c := range cases {
		tok := proto + "-" + c.name
		before := be.Count()
		if proto == "srt" {
			be.SetDefault(c.answer)
		} else {
			be.Set(tok, c.answer)
		}
		s.refused(t, proto, name, pubCred{token: tok})
		if be.Count() == before {
			t.Errorf("%s %s: the backend was not asked", proto, c.name)
		}
	}
	if proto != "rtmps" && proto != "rtsps" {
		s.refused(t, proto, "down_"+proto, pubCred{token: proto + "-down"})
		s.notPlaying(t, "down_"+proto)
	}
	s.notPlaying(t, name)

	tok := proto + "-allow"
	if proto == "srt" {
		be.SetDefault(authtest.Allow())
	} else {
		be.Set(tok, authtest.Allow())
	}
	s.plays(t, proto, name, pubCred{token: tok})
	q := lastRequest(be, name)
	if q == nil {
		t.Fatalf("the backend saw no request for %s", name)
	}
	want := map[string]string{"name": name, "proto": wire, "ip": "127.0.0.1", "request_type": "new_session", "request_number": "0"}
	if proto != "srt" {
		want["token"] = tok
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s: backend got %s=%q, want %q (query %v)", proto, k, q.Get(k), v, q)
		}
	}
	for _, k := range []string{"session_id", "stream_clients", "total_clients"} {
		if !q.Has(k) || (k == "session_id" && q.Get(k) == "") {
			t.Errorf("%s: backend request lacks %s (query %v)", proto, k, q)
		}
	}
}

// lastRequest is the backend's last request for stream name.
func lastRequest(be *authtest.Backend, name string) url.Values {
	reqs := be.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Get("name") == name {
			return reqs[i]
		}
	}
	return nil
}

// refusalLogged checks that the log has a line for a refused publisher of
// stream over proto, with the peer's address and reason.
func (s *pubServer) refusalLogged(t *testing.T, proto, stream, reason string) {
	t.Helper()
	wire := proto
	if proto == "whip" {
		wire = "webrtc"
	}
	for _, line := range strings.Split(s.log.String(), "\n") {
		if strings.Contains(line, "publisher refused by policy") && strings.Contains(line, "stream="+stream+" ") &&
			strings.Contains(line, "proto="+wire+" ") && strings.Contains(line, "ip=127.0.0.1") &&
			strings.Contains(line, reason) {
			return
		}
	}
	t.Errorf("no refusal log line for %s over %s (stream, proto, ip, %q)", stream, proto, reason)
}
