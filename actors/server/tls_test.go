package server_test

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"streamhive/actors/certs/certstest"
	"streamhive/actors/input"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/server"
	"streamhive/media/hub"
	"streamhive/media/mediatest"
	"streamhive/protocols/rtmp"
)

// tlsConf takes RTMPS and RTSPS publishers into stream cam.
const tlsConf = `
rtmps 127.0.0.1:0;
rtsps 127.0.0.1:0;

stream cam {
  input publish://;
  segment_duration 1;
}
`

// startTLSServer runs the real server on tlsConf with a certificate in the
// config file's directory (streamer.*, the key encrypted with "flussonic").
func startTLSServer(t *testing.T) (*server.Server, *certstest.PKI) {
	t.Helper()
	path := writeConf(t, tlsConf)
	pki := certstest.New(t)
	pki.Leaf(t, 5).Write(t, filepath.Dir(path), "streamer", true)
	s, err := server.Start(server.Options{ConfigPath: path, Logger: kittest.Logger(t), Pullers: input.Pullers{}})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return s, pki
}

// TestRTMPSPublishReachesTheStream: a publisher over RTMPS (our own RTMP
// pusher, trusting only the test root) feeds stream cam.
func TestRTMPSPublishReachesTheStream(t *testing.T) {
	s, pki := startTLSServer(t)
	url := "rtmps://" + s.RTMPSAddrs()[0].String() + "/live/cam"
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	done := make(chan error, 1)
	var sent atomic.Uint64
	go func() {
		done <- (&rtmp.Pusher{TLS: pki.ClientConfig()}).Push(ctx, url, nil, clipSource(t, 3*time.Second), &sent)
	}()
	ok := mediatest.Eventually(15*time.Second, func() bool {
		st, _ := s.Stats("cam")
		return len(st.Inputs) == 1 && st.Inputs[0].Bytes > 0 && len(st.Tracks) == 2
	})
	cancel()
	<-done
	if st, _ := s.Stats("cam"); !ok {
		t.Fatalf("the RTMPS publication did not reach stream cam: %+v (pushed %d bytes)", st, sent.Load())
	}
}

// TestRTSPSAnnounceReachesTheStream: an RTSPS publisher is admitted to
// stream cam and refused (403 inside TLS) for a stream that does not exist.
func TestRTSPSAnnounceReachesTheStream(t *testing.T) {
	s, pki := startTLSServer(t)
	base := "rtsps://" + s.RTSPSAddrs()[0].String() + "/"
	record := func(name string) error {
		tcp := gortsplib.TransportTCP
		c := &gortsplib.Client{Transport: &tcp, TLSConfig: pki.ClientConfig(), ReadTimeout: 5 * time.Second}
		if err := c.StartRecording(base+name, aacOnly()); err != nil {
			return err
		}
		c.Close()
		return nil
	}
	if err := record("nope"); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("RTSPS publish to an unknown stream: %v, want 403", err)
	}
	if err := record("cam"); err != nil {
		t.Errorf("RTSPS publish to cam: %v", err)
	}
}

// TestStartFailsForEveryListener: a listener that cannot open (its port
// taken, no certificate, a refused TLS version) stops Start with an error
// naming it, for every kind of listener. (RTMP: TestStartFailsWhenRTMPPortIsTaken.)
func TestStartFailsForEveryListener(t *testing.T) {
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tcp.Close() }()
	udp, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = udp.Close() }()
	taken, takenUDP := tcp.Addr().String(), udp.LocalAddr().String()
	for _, tt := range []struct {
		name, conf string
		certs      bool // write a certificate next to the config
		want       string
	}{
		{"rtsp port taken", "rtsp " + taken + ";", false, "rtsp listener " + taken},
		{"srt port taken", "srt_publish { port " + takenUDP + "; }", false, "srt listener " + takenUDP},
		{"stream srt port taken", "stream b { input publish://; srt " + takenUDP + "; }", false, "srt listener " + takenUDP},
		{"rtmps port taken", "rtmps " + taken + ";", true, "rtmps listener " + taken},
		{"rtsps port taken", "rtsps " + taken + ";", true, "rtsps listener " + taken},
		{"rtmps without certificate", "rtmps 127.0.0.1:0;", false, "rtmps listener 127.0.0.1:0: no certificate"},
		{"rtsps without certificate", "rtsps 127.0.0.1:0;", false, "rtsps listener 127.0.0.1:0: no certificate"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConf(t, tt.conf+"\nstream a { input publish://; }\n")
			if tt.certs {
				certstest.New(t).Leaf(t, 1).Write(t, filepath.Dir(path), "streamer", false)
			}
			s, err := server.Start(server.Options{ConfigPath: path, Logger: kittest.Logger(t)})
			if err == nil {
				_ = s.Stop(context.Background())
				t.Fatalf("Start succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Start error %q does not name %q", err, tt.want)
			}
		})
	}
}

// clipSource is a hub consumer holding d of the test clip, as a push
// target's source would.
func clipSource(t *testing.T, d time.Duration) *hub.Consumer {
	t.Helper()
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	h := hub.New(hub.Options{})
	h.SetTracks(clip.Tracks)
	w := h.NewWriter()
	c := h.Subscribe()
	t.Cleanup(c.Close)
	for _, f := range clip.Loop(d) {
		w.WriteFrame(f)
	}
	return c
}

func aacOnly() *description.Session {
	aac := &format.MPEG4Audio{
		PayloadTyp: 97, SizeLength: 13, IndexLength: 3, IndexDeltaLength: 3,
		Config: &mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 48000, ChannelCount: 2},
	}
	return &description.Session{Medias: []*description.Media{{Type: description.MediaTypeAudio, Formats: []format.Format{aac}}}}
}
