//go:build e2e

package srt

import (
	"bytes"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
)

func TestServerPublishFromFFmpeg(t *testing.T) {
	for _, tt := range []struct {
		name, passphrase, streamid string
		stream                     media.StreamName
	}{
		{"access control streamid", "", "#!::r=cam1,m=publish", "cam1"},
		{"plain streamid", "", "cam1", "cam1"},
		{"passphrase", "0123456789", "#!::r=cam1,m=publish", "cam1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hooks := newFakeHooks("cam1")
			s, _ := startServer(t, hooks, tt.passphrase)
			cmd, _ := ffmpegSRT(t, clip(t), srtURL(s.Addr(), tt.streamid, tt.passphrase))
			rec := hooks.streams[tt.stream]
			mediatest.WaitFor(t, 10*time.Second, "a second of video", func() bool {
				n, keys := rec.Count(0)
				return n >= 25 && keys >= 1
			})
			tracks, _, _ := rec.Snapshot()
			if len(tracks) != 2 || tracks[0].Codec != media.CodecH264 || tracks[1].Codec != media.CodecAAC {
				t.Errorf("tracks %+v, want H.264 and AAC", tracks)
			}
			if err := cmd.Wait(); err != nil {
				t.Errorf("ffmpeg: %v", err)
			}
			mediatest.WaitFor(t, 5*time.Second, "the publication's release", func() bool { return hooks.releases(tt.stream) == 1 })
			st := hooks.statsOf(tt.stream)
			if st.TS.Packets.Load() == 0 || st.TS.CCErrors.Load() != 0 || !st.SRT.Connected.Load() ||
				st.SRT.PacketsReceived.Load() == 0 {
				t.Errorf("stats: ts packets %d cc errors %d, srt connected %v packets %d",
					st.TS.Packets.Load(), st.TS.CCErrors.Load(), st.SRT.Connected.Load(), st.SRT.PacketsReceived.Load())
			}
		})
	}
}

func TestServerRefuses(t *testing.T) {
	for _, tt := range []struct {
		name, server, client, streamid string
		reason                         Reason
	}{
		{"wrong passphrase", "0123456789", "9876543210", "#!::r=cam1,m=publish", ReasonBadSecret},
		{"missing passphrase", "0123456789", "", "#!::r=cam1,m=publish", ReasonUnsecure},
		{"unexpected passphrase", "", "0123456789", "#!::r=cam1,m=publish", ReasonUnsecure},
		{"unknown stream", "", "", "#!::r=nope,m=publish", ReasonNotFound},
		{"play request", "", "", "#!::r=cam1,m=request", ReasonBadMode},
		{"malformed streamid", "", "", "#!::r=cam1,junk", ReasonBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) {
			hooks := newFakeHooks("cam1")
			s, logs := startServer(t, hooks, tt.server)
			cmd, stderr := ffmpegSRT(t, clip(t), srtURL(s.Addr(), tt.streamid, tt.client))
			if err := cmd.Wait(); err == nil {
				t.Errorf("ffmpeg succeeded; want it refused")
			}
			if !strings.Contains(logs.String(), "publisher refused") || !strings.Contains(logs.String(), tt.reason.String()) {
				t.Errorf("log lacks the refusal with %s:\n%s", tt.reason, logs)
			}
			if _, _, calls := hooks.streams["cam1"].Snapshot(); calls != 0 {
				t.Errorf("a refused caller published")
			}
			t.Logf("ffmpeg said: %s", strings.TrimSpace(stderr.String()))
		})
	}
}

// TestServerPeerDisappears kills the publisher mid-stream (no SRT shutdown
// is sent): the connection ends at SRT's peer idle timeout, the
// publication is released with an error in the log, and a new publisher
// is accepted.
func TestServerPeerDisappears(t *testing.T) {
	hooks := newFakeHooks("cam1")
	s, logs := startServer(t, hooks, "")
	url := srtURL(s.Addr(), "cam1", "")
	cmd, _ := ffmpegSRT(t, clip(t), url)
	rec := hooks.streams["cam1"]
	mediatest.WaitFor(t, 10*time.Second, "frames", func() bool { n, _ := rec.Count(0); return n >= 10 })
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 10*time.Second, "the release", func() bool { return hooks.releases("cam1") == 1 })
	if !strings.Contains(logs.String(), "publisher ended") {
		t.Errorf("no log line for the lost publisher:\n%s", logs)
	}

	before, _ := rec.Count(0)
	ffmpegSRT(t, clip(t), url)
	mediatest.WaitFor(t, 10*time.Second, "frames from the new publisher", func() bool {
		n, _ := rec.Count(0)
		return n >= before+10
	})
}

// TestServerGarbage sends datagrams that are not SRT, and SRT-looking
// handshakes that are broken, to the port: nothing crashes and a real
// publisher still gets through.
func TestServerGarbage(t *testing.T) {
	hooks := newFakeHooks("cam1")
	s, _ := startServer(t, hooks, "")
	conn, err := net.Dial("udp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	garbage := [][]byte{
		{},
		{0x00},
		[]byte("GET / HTTP/1.1\r\n\r\n"),
		make([]byte, 1500),
		// A control packet (handshake) with a truncated CIF.
		{0x80, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5},
		// A data packet for a socket that does not exist.
		append([]byte{0x00, 0x00, 0x00, 0x01, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78}, make([]byte, 188)...),
	}
	for i := range 200 {
		b := garbage[i%len(garbage)]
		if len(b) == 1500 {
			for j := range b {
				b[j] = byte(i * j)
			}
		}
		if _, err := conn.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	ffmpegSRT(t, clip(t), srtURL(s.Addr(), "cam1", ""))
	mediatest.WaitFor(t, 10*time.Second, "frames after the garbage", func() bool { n, _ := hooks.streams["cam1"].Count(0); return n >= 10 })
}

// ffmpegSRT starts ffmpeg sending ts at real-time pace to an SRT URL
// (caller mode) and returns the running command and its stderr.
func ffmpegSRT(t *testing.T, ts []byte, url string) (*exec.Cmd, *mediatest.LogBuffer) {
	t.Helper()
	path, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg not installed")
	}
	cmd := exec.Command(path, "-hide_banner", "-loglevel", "error", "-nostdin", "-re", "-f", "mpegts", "-i", "pipe:0",
		"-c", "copy", "-f", "mpegts", url)
	stderr := &mediatest.LogBuffer{}
	cmd.Stdin, cmd.Stderr = bytes.NewReader(ts), stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	return cmd, stderr
}
