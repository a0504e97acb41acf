package srt

import (
	"context"
	"errors"
	"testing"
	"time"

	gosrt "github.com/datarhei/gosrt"

	"streamhive/media"
	"streamhive/media/mediatest"
	"streamhive/protocols/mpegts/mpegtstest"
)

// origin is an SRT listener that serves ts, paced over about its
// duration, to callers asking for stream "cam1" (m=request) with
// passphrase (empty: unencrypted). It stops when the test ends.
func origin(t *testing.T, ts []byte, duration time.Duration, passphrase string) string {
	t.Helper()
	ln, err := gosrt.Listen("srt", "127.0.0.1:0", gosrt.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() {
		ln.Close()
		<-done
	})
	go func() {
		defer close(done)
		for {
			req, err := ln.Accept2()
			if err != nil {
				return
			}
			id, _ := ParseStreamID(req.StreamId())
			if id.Name != "cam1" || id.Mode != "request" {
				req.Reject(gosrt.RejectionReason(ReasonNotFound))
				continue
			}
			if passphrase != "" && req.SetPassphrase(passphrase) != nil {
				req.Reject(gosrt.RejectionReason(ReasonBadSecret))
				continue
			}
			conn, err := req.Accept()
			if err != nil {
				continue
			}
			go send(conn, ts, duration)
		}
	}()
	return ln.Addr().String()
}

// send writes ts in 7-packet payloads, paced over duration, then closes.
func send(conn gosrt.Conn, ts []byte, duration time.Duration) {
	defer func() { _ = conn.Close() }()
	const chunk = 7 * 188
	n := (len(ts) + chunk - 1) / chunk
	start := time.Now()
	for i := 0; i*chunk < len(ts); i++ {
		if d := time.Until(start.Add(duration * time.Duration(i) / time.Duration(n))); d > 0 {
			time.Sleep(d)
		}
		if _, err := conn.Write(ts[i*chunk : min(len(ts), (i+1)*chunk)]); err != nil {
			return
		}
	}
}

func TestPullerCalls(t *testing.T) {
	for _, tt := range []struct {
		name, passphrase string
		url              func(addr string) string
		options          map[string]string
	}{
		{
			"options", "", func(a string) string { return "srt://" + a },
			map[string]string{"streamid": "#!::r=cam1,m=request"},
		},
		{"query", "", func(a string) string { return "srt://" + a + "?streamid=#!::r=cam1,m=request" }, nil},
		{
			"passphrase", "0123456789", func(a string) string { return "srt://" + a },
			map[string]string{"streamid": "#!::r=cam1,m=request", "passphrase": "0123456789", "latency": "200"},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			addr := origin(t, clip(t), 2*time.Second, tt.passphrase)
			rec := mpegtstest.NewRecorder()
			stats := new(media.InputStats)
			ctx, cancel := context.WithCancel(media.WithInputStats(context.Background(), stats))
			done := make(chan error, 1)
			go func() { done <- Puller{}.Pull(ctx, tt.url(addr), tt.options, rec.Publish) }()
			mediatest.WaitFor(t, 10*time.Second, "a second of video", func() bool { n, k := rec.Count(0); return n >= 25 && k >= 1 })
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Errorf("Pull after cancel = %v, want context.Canceled", err)
			}
			if !stats.SRT.Connected.Load() || stats.SRT.PacketsReceived.Load() == 0 || stats.TS.Packets.Load() == 0 {
				t.Errorf("stats not counted: srt %v/%d, ts %d", stats.SRT.Connected.Load(),
					stats.SRT.PacketsReceived.Load(), stats.TS.Packets.Load())
			}
		})
	}
}

func TestPullerFailures(t *testing.T) {
	addr := origin(t, clip(t), 2*time.Second, "0123456789")
	for _, tt := range []struct {
		name    string
		url     string
		options map[string]string
		want    error
	}{
		{"wrong stream", "srt://" + addr, map[string]string{"streamid": "#!::r=x,m=request", "passphrase": "0123456789"}, nil},
		{"wrong passphrase", "srt://" + addr, map[string]string{"streamid": "#!::r=cam1,m=request", "passphrase": "abcdefghijk"}, nil},
		{"bad url", "srt://nohost", nil, ErrBadURL},
		{"bad scheme", "udp://1.2.3.4:5", nil, ErrBadURL},
		{"bad port", "srt://h:99999", nil, ErrBadURL},
		{"bad latency", "srt://" + addr, map[string]string{"latency": "soon"}, ErrBadOptions},
		{"listener mode", "srt://" + addr + "?mode=listener", nil, ErrBadOptions},
		{"short passphrase", "srt://" + addr, map[string]string{"passphrase": "short"}, ErrBadOptions},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := mpegtstest.NewRecorder()
			err := Puller{}.Pull(context.Background(), tt.url, tt.options, rec.Publish)
			if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Pull = %v, want an error wrapping %v", err, tt.want)
			}
		})
	}
}
