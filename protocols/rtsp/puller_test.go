package rtsp

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/protocols/rtsp/rtsptest"
)

// pullInto runs Pull in a goroutine, publishing into a recorder, and
// returns the recorder, the input's stats and Pull's result channel.
func pullInto(ctx context.Context, p *Puller, url string, options map[string]string) (*recorder, *media.InputStats, <-chan error) {
	rec, stats := &recorder{}, &media.InputStats{}
	done := make(chan error, 1)
	go func() {
		done <- p.Pull(media.WithInputStats(ctx, stats), url, options, func(tracks []media.Track) (media.Sink, error) {
			rec.setTracks(tracks)
			return rec, nil
		})
	}()
	return rec, stats, done
}

// TestPullFailures: a server that answers nonsense, a refused connection,
// a missing path and bad options all end Pull with an error, promptly.
func TestPullFailures(t *testing.T) {
	garbage := garbageServer(t, func(string) string { return "SSH-2.0-OpenSSH_9.2\r\n\x00\xff\xfe garbage \x01\x02\r\n\r\n" })
	badSDP := garbageServer(t, func(req string) string {
		body := "v=9\r\nm=nonsense\r\n\x00\x01\x02\r\n"
		return fmt.Sprintf("RTSP/1.0 200 OK\r\nCSeq: %s\r\nContent-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s",
			cseq.FindStringSubmatch(req)[1], len(body), body)
	})
	closed := closedPort(t)
	cam := rtsptest.StartCamera(t) // nobody publishes: DESCRIBE gets 404
	for _, tt := range []struct {
		name, url string
		options   map[string]string
		want      error
		contains  string
	}{
		{"garbage", "rtsp://" + garbage + "/cam", nil, nil, "rtsp: describe: request timed out"}, // gortsplib skips what is not RTSP
		{"bad sdp", "rtsp://" + badSDP + "/cam", nil, nil, "rtsp: describe: "},
		{"refused", "rtsp://" + closed + "/cam", nil, nil, "connection refused"},
		{"not found", "rtsp://" + cam.Addr + "/cam", nil, nil, "404"},
		{"bad scheme", "http://" + cam.Addr + "/cam", nil, ErrBadURL, ""},
		{"no host", "rtsp:///cam", nil, ErrBadURL, ""},
		{"bad rtp", "rtsp://" + cam.Addr + "/cam", map[string]string{"rtp": "sctp"}, ErrBadOption, ""},
		{"contradiction", "rtsp://" + cam.Addr + "/cam", map[string]string{"rtp": "udp", "rtsp_tcp": "true"}, ErrBadOption, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			p := &Puller{Logger: debugLogger(&mediatest.LogBuffer{}), Timeout: 2 * time.Second}
			start := time.Now()
			err := p.Pull(ctx, tt.url, tt.options, func([]media.Track) (media.Sink, error) {
				t.Error("published")
				return &recorder{}, nil
			})
			t.Logf("Pull = %v", err)
			switch {
			case err == nil:
				t.Fatal("Pull succeeded")
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Errorf("Pull = %v, want %v", err, tt.want)
			case !strings.Contains(err.Error(), tt.contains):
				t.Errorf("Pull = %v, want it to say %q", err, tt.contains)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Pull took %v to fail", d)
			}
		})
	}
}

// garbageServer accepts connections and answers every request with
// reply(request), keeping the connection open until the client leaves.
func garbageServer(t *testing.T, reply func(req string) string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer func() { _ = c.Close() }()
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				buf := make([]byte, 4096)
				for {
					n, err := c.Read(buf)
					if err != nil {
						return
					}
					if _, err := c.Write([]byte(reply(string(buf[:n])))); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

var cseq = regexp.MustCompile(`(?i)CSeq: *(\d+)`)

// closedPort returns an address nobody listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}
