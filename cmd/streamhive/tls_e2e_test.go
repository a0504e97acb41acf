//go:build e2e

package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"streamhive/actors/certs/certstest"
	"streamhive/media/mediatest"
	"streamhive/protocols/rtsp/rtsptest"
)

// tlsServer is the binary running https, rtmps and rtsps listeners with a
// test certificate next to its config file (streamer.crt, streamer.key
// encrypted with "flussonic", streamer-ca.crt), as Flussonic expects it.
type tlsServer struct {
	*proc
	pki                 *certstest.PKI
	dir, caFile         string
	https, rtmps, rtsps string // host:port
}

func startTLS(t *testing.T) *tlsServer {
	t.Helper()
	s := &tlsServer{pki: certstest.New(t), dir: t.TempDir()}
	s.pki.Leaf(t, 10).Write(t, s.dir, "streamer", true)
	s.caFile = filepath.Join(s.dir, "root.pem")
	certstest.WriteFile(t, s.caFile, s.pki.RootPEM)
	port := freePort(t)
	s.https = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	s.rtmps = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	s.rtsps = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	conf := fmt.Sprintf(`https %s;
rtmps %s;
rtsps %s;
stream demo { input fake://; segment_duration 1; }
stream pub_rtmps { input publish://; segment_duration 1; }
stream pub_rtsps { input publish://; segment_duration 1; }
`, s.https, s.rtmps, s.rtsps)
	s.proc = start(t, port, "-config", writeConfig(t, s.dir, port, conf))
	return s
}

// decodeWith plays url's first three seconds with ffmpeg (extra options before
// -i) and fails the test on any error ffmpeg reports.
func decodeWith(ctx context.Context, t *testing.T, url string, extra ...string) {
	t.Helper()
	args := append(append([]string{"-v", "error", "-nostdin"}, extra...), "-i", url, "-t", "3", "-f", "null", "-")
	out, err := exec.CommandContext(ctx, "ffmpeg", args...).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "" {
		t.Errorf("ffmpeg decode %s: %v\n%s", url, err, out)
	}
}

// TestTLSListeners: HLS over https plays in ffmpeg, which verifies the
// certificate against the test root (and refuses it without the root); the
// Control API answers over https; ffmpeg publishes over RTMPS and over
// RTSPS, and both publications play over plain HLS.
func TestTLSListeners(t *testing.T) {
	if testing.Short() {
		t.Skip("seconds of real media")
	}
	s := startTLS(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	rtmps := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin", "-re",
		"-f", "lavfi", "-i", "testsrc=size=320x180:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
		"-t", "30", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-g", "25", "-bf", "0",
		"-c:a", "aac", "-f", "flv", "rtmps://"+s.rtmps+"/live/pub_rtmps")
	rtsps := rtsptest.FFmpeg(ctx, t, "rtsps://"+s.rtsps+"/pub_rtsps", "tcp", rtsptest.X264(true), "aac", 30*time.Second)
	for _, pub := range []*exec.Cmd{rtmps, rtsps} {
		out := &strings.Builder{}
		pub.Stdout, pub.Stderr = out, out
		if err := pub.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_ = pub.Process.Kill()
			_ = pub.Wait()
			if t.Failed() {
				t.Logf("%s: %s", pub.Args[len(pub.Args)-1], out.String())
			}
		})
	}

	t.Run("hls over https", func(t *testing.T) {
		secure := "https://" + s.https + "/demo/index.m3u8"
		waitPlaylistWith(t, s.pki.ClientConfig(), "https://"+s.https+"/demo/mono.m3u8")
		decodeWith(ctx, t, secure, "-tls_verify", "1", "-ca_file", s.caFile)
		out, err := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin", "-tls_verify", "1",
			"-i", secure, "-t", "1", "-f", "null", "-").CombinedOutput()
		if err == nil {
			t.Errorf("ffmpeg verified the test certificate without its root:\n%s", out)
		}
	})
	t.Run("api over https", func(t *testing.T) {
		client := &http.Client{Transport: &http.Transport{TLSClientConfig: s.pki.ClientConfig()}, Timeout: 5 * time.Second}
		resp, err := client.Get("https://" + s.https + "/streamer/api/v3/streams/demo")
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET /streams/demo over https: %d", resp.StatusCode)
		}
	})
	for _, name := range []string{"pub_rtmps", "pub_rtsps"} {
		t.Run(name+" plays over hls", func(t *testing.T) {
			plain := s.base + "/" + name + "/index.m3u8"
			waitPlaylist(t, s.base+"/"+name+"/mono.m3u8")
			decodeWith(ctx, t, plain)
		})
	}
}

// TestHTTPSPlaysInChromium: hls.js in headless Chromium plays the demo
// stream from the https listener (the test certificate accepted with
// --ignore-certificate-errors, as no system store trusts its root).
func TestHTTPSPlaysInChromium(t *testing.T) {
	if testing.Short() {
		t.Skip("real-browser test")
	}
	s := startTLS(t)
	pp := servePlayer(t)
	src := "https://" + s.https + "/demo/index.m3u8"
	chromium(t, pp.base+"/player.html?kind=hls&src="+url.QueryEscape(src), "--ignore-certificate-errors")
	var first, rep playerReport
	started := false
	deadline := time.Now().Add(45 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(250 * time.Millisecond) // the page reports on its own clock
		rep = pp.report()
		if rep.Error != "" {
			t.Fatalf("player error: %s", rep.Error)
		}
		if !started && rep.CurrentTime > 0 {
			first, started = rep, true
		}
		if started && rep.CurrentTime-first.CurrentTime >= 5 && rep.VideoWidth > 0 && rep.Manifests >= 3 {
			t.Logf("played %.1f s at %dx%d over https, %d manifest loads", rep.CurrentTime-first.CurrentTime, rep.VideoWidth, rep.VideoHeight, rep.Manifests)
			return
		}
	}
	t.Fatalf("no 5 s of playback over https within 45 s; last report %+v", rep)
}

// TestCertificateReloadsOnSIGHUP: after the certificate files change,
// SIGHUP hands new https connections the new certificate; the server keeps
// running.
func TestCertificateReloadsOnSIGHUP(t *testing.T) {
	s := startTLS(t)
	serial := func() int64 {
		c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", s.https, s.pki.ClientConfig())
		if err != nil {
			t.Fatalf("TLS dial: %v", err)
		}
		defer func() { _ = c.Close() }()
		return certstest.PeerSerial(c)
	}
	if got := serial(); got != 10 {
		t.Fatalf("serial %d, want 10", got)
	}
	s.pki.Leaf(t, 11).Write(t, s.dir, "streamer", false)
	if got := serial(); got != 10 {
		t.Errorf("serial %d before SIGHUP, want the loaded 10", got)
	}
	if err := s.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "the renewed certificate", func() bool { return serial() == 11 })
}

// waitPlaylistWith is waitPlaylist for an https URL, trusting cfg's roots.
func waitPlaylistWith(t *testing.T, cfg *tls.Config, url string) {
	t.Helper()
	waitPlaylistFrom(t, &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}, Timeout: 5 * time.Second}, url)
}
