package server_test

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"streamhive/actors/input"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/server"
	"streamhive/media/mediatest"
	"streamhive/media/stats"
	"streamhive/protocols/fake"
)

// mediaConf has an RTMP listener on a free port, a stream that takes
// publishers and the demo's test pattern, with one-second segments so a
// few seconds of media make several.
const mediaConf = `
rtmp 127.0.0.1:0;

stream cam {
  input publish://;
  segment_duration 1;
  segment_count 4;
}

stream demo {
  input fake://?size=320x180;
  segment_duration 1;
}
`

// startMediaServer runs the real server (real sockets, real time) on
// mediaConf with the fake:// puller.
func startMediaServer(t *testing.T) (*server.Server, *mediatest.LogBuffer) {
	t.Helper()
	return startRealServer(t, mediaConf, input.Pullers{"fake": fake.Puller{}})
}

// startRealServer runs the real server (real sockets, real time) on conf
// with pullers, stopped when the test ends; its log is shown if the test
// failed.
func startRealServer(t *testing.T, conf string, pullers input.Pullers) (*server.Server, *mediatest.LogBuffer) {
	t.Helper()
	logs := &mediatest.LogBuffer{}
	s, err := server.Start(server.Options{
		ConfigPath: writeConf(t, conf),
		Logger:     slog.New(slog.NewTextHandler(logs, nil)),
		Pullers:    pullers,
	})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return s, logs
}

// TestDemoProducesSegments: the fake:// test pattern is packaged like any
// input, and the stream name is burned into it (not checked here: the
// pixels are fake's business).
func TestDemoProducesSegments(t *testing.T) {
	s, _ := startMediaServer(t)
	var st stats.Stream
	ok := mediatest.Eventually(10*time.Second, func() bool {
		pb, _ := s.Playback("demo")
		st, _ = s.Stats("demo")
		return pb.Segmenter() != nil && len(pb.Segmenter().Window().Segments) >= 2
	})
	if !ok {
		t.Fatalf("demo: no segments within 10 s: %+v", st)
	}
	if !st.Alive || len(st.Tracks) == 0 || st.Tracks[0].Width != 320 {
		t.Errorf("demo stats %+v, want alive, 320x180 video", st)
	}
}

// TestStartFailsWhenRTMPPortIsTaken: a port in use is reported by Start,
// as for HTTP, instead of a server that silently takes no publishers.
func TestStartFailsWhenRTMPPortIsTaken(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = taken.Close() }()
	conf := "rtmp " + taken.Addr().String() + ";\nstream a { input publish://; }\n"
	s, err := server.Start(server.Options{ConfigPath: writeConf(t, conf), Logger: kittest.Logger(t)})
	if err == nil {
		_ = s.Stop(context.Background())
		t.Fatalf("Start succeeded with the RTMP port taken")
	}
	if !strings.Contains(err.Error(), "rtmp listener "+taken.Addr().String()) {
		t.Errorf("Start error %q does not name the RTMP listener", err)
	}
}
