//go:build e2e

package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"streamhive/actors/auth/authtest"
)

// connPlay is a server with RTMP and RTSP listeners and two streams of
// the test pattern (H.264 and AAC): tv, open to all, and locked, which
// on_play asks backend about.
type connPlay struct {
	p          *proc
	rtmp, rtsp string // host:port
	backend    *authtest.Backend
}

func startConnPlay(t *testing.T) *connPlay {
	t.Helper()
	backend := authtest.NewBackend(t)
	backend.SetDefault(authtest.Deny())
	backend.Set("good", authtest.Allow("X-AuthDuration", "300"))
	dir := t.TempDir()
	port, rtmpPort, rtspPort := freePort(t), freePort(t), freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nrtsp 127.0.0.1:%d;\n"+
		"stream tv { input fake://; }\nstream locked { input fake://; on_play %s; }\n",
		rtmpPort, rtspPort, backend.URL)
	p := start(t, port, "-config", writeConfig(t, dir, port, conf))
	return &connPlay{
		p: p, backend: backend,
		rtmp: fmt.Sprintf("127.0.0.1:%d", rtmpPort), rtsp: fmt.Sprintf("127.0.0.1:%d", rtspPort),
	}
}

// decodeFor runs ffmpeg -v error on url for seconds of media and returns
// its output and error.
func decodeFor(url string, seconds int, opts ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(seconds+30)*time.Second)
	defer cancel()
	args := []string{"-v", "error", "-nostdin", "-rw_timeout", "10000000"}
	if strings.HasPrefix(url, "rtsp:") {
		args = []string{"-v", "error", "-nostdin", "-timeout", "10000000"}
	}
	args = append(args, opts...)
	args = append(args, "-i", url, "-t", fmt.Sprint(seconds), "-f", "null", "-")
	out, err := exec.CommandContext(ctx, "ffmpeg", args...).CombinedOutput()
	return string(out), err
}

// probeCodecs returns the codec names ffprobe sees in url, in order.
func probeCodecs(t *testing.T, url string, opts ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	args := append([]string{"-v", "error"}, opts...)
	args = append(args, "-show_entries", "stream=codec_name", "-of", "csv=p=0", url)
	out, err := exec.CommandContext(ctx, "ffprobe", args...).CombinedOutput()
	if err != nil {
		t.Errorf("ffprobe %s: %v: %s", url, err, out)
	}
	return strings.Join(strings.Fields(string(out)), ",")
}

// TestConnPlayDecodes: ffmpeg plays 10 s of the RTMP and RTSP outputs
// (RTSP over TCP and over UDP) at Flussonic's URLs and prints nothing;
// ffprobe sees H.264 and AAC in each.
func TestConnPlayDecodes(t *testing.T) {
	s := startConnPlay(t)
	cases := []struct {
		name, url string
		opts      []string
	}{
		{"rtmp static", "rtmp://" + s.rtmp + "/static/tv", nil},
		{"rtmp name", "rtmp://" + s.rtmp + "/tv", nil},
		{"rtsp tcp", "rtsp://" + s.rtsp + "/tv", []string{"-rtsp_transport", "tcp"}},
		{"rtsp udp", "rtsp://" + s.rtsp + "/tv", []string{"-rtsp_transport", "udp"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			out, err := decodeFor(c.url, 10, c.opts...)
			if err != nil || out != "" {
				t.Errorf("ffmpeg %s: %v: %q", c.url, err, out)
			}
			t.Logf("%s: 10 s decoded in %v", c.url, time.Since(start).Round(time.Millisecond))
			if got := probeCodecs(t, c.url, c.opts...); got != "h264,aac" {
				t.Errorf("ffprobe %s: codecs %q, want h264,aac", c.url, got)
			}
		})
	}
}

// TestConnPlayRefusesWithoutToken: a stream behind on_play refuses an RTMP
// and an RTSP viewer without a token (or with one the backend denies) and
// plays to one with a good token.
func TestConnPlayRefusesWithoutToken(t *testing.T) {
	s := startConnPlay(t)
	for _, u := range []string{
		"rtmp://" + s.rtmp + "/static/locked",
		"rtmp://" + s.rtmp + "/static/locked?token=bad",
		"rtmp://" + s.rtmp + "/static/nosuch",
		"rtsp://" + s.rtsp + "/locked",
		"rtsp://" + s.rtsp + "/locked?token=bad",
		"rtsp://" + s.rtsp + "/nosuch",
	} {
		if out, err := decodeFor(u, 2); err == nil {
			t.Errorf("%s played: %q", u, out)
		} else {
			t.Logf("%s refused: %s", u, strings.TrimSpace(out))
		}
	}
	for _, u := range []string{"rtmp://" + s.rtmp + "/static/locked?token=good", "rtsp://" + s.rtsp + "/locked?token=good"} {
		if out, err := decodeFor(u, 2); err != nil || out != "" {
			t.Errorf("%s: %v: %q", u, err, out)
		}
	}
}

// TestConnPlayKick: kicking the session of an RTMP or RTSP viewer through
// the sessions API ends its connection: ffmpeg, asked for a minute,
// stops within seconds.
func TestConnPlayKick(t *testing.T) {
	s := startConnPlay(t)
	for _, u := range []string{"rtmp://" + s.rtmp + "/static/tv", "rtsp://" + s.rtsp + "/tv"} {
		done := make(chan error, 1)
		go func() { _, err := decodeFor(u, 60); done <- err }()
		time.Sleep(4 * time.Second)
		kickAll(t, s.p, "tv")
		kicked := time.Now()
		select {
		case <-done:
			t.Logf("%s: ended %v after the kick", u, time.Since(kicked).Round(time.Millisecond))
		case <-time.After(15 * time.Second):
			t.Errorf("%s: the kicked viewer still plays", u)
		}
	}
}

// TestConnPlayOverTLS: the RTMPS and RTSPS listeners play too (the same
// code as their plain listeners, behind TLS).
func TestConnPlayOverTLS(t *testing.T) {
	s := startTLS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	decodeWith(ctx, t, "rtmps://"+s.rtmps+"/static/demo")
	decodeWith(ctx, t, "rtsps://"+s.rtsps+"/demo", "-rtsp_transport", "tcp")
}
