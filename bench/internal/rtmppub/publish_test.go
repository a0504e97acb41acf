package rtmppub

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/protocols/rtmp"
)

// nameHooks know one stream, resolve RTMP names as the listener does and
// report each publication's name.
type nameHooks struct {
	stream media.StreamName
	names  chan media.StreamName
}

func (h nameHooks) Resolve(names []media.StreamName) media.StreamName {
	for _, n := range names {
		if n == h.stream {
			return n
		}
	}
	return names[len(names)-1]
}

func (h nameHooks) Publish(_ context.Context, name media.StreamName, _ []media.Track) (media.Sink, func(), error) {
	h.names <- name
	if name != h.stream {
		return nil, nil, errors.New("no such stream")
	}
	return discard{}, func() {}, nil
}

type discard struct{}

func (discard) WriteFrame(*media.Frame) {}

// audioSample is 1.5 s of AAC tags: audio alone is published once a
// second of it has arrived.
func audioSample() *Sample {
	s := &Sample{Tags: []Tag{{TagAudio, 0, aacHeader}}, Loop: 1520 * time.Millisecond}
	for ts := uint32(0); ts < 1500; ts += 20 {
		s.Tags = append(s.Tags, Tag{TagAudio, ts, aacFrame})
	}
	return s
}

// TestPublishNames: the whole path as the app with an empty key (Go's
// gortmplib client sends rtmp://HOST/live/cam1 so) reaches the stream that
// ffmpeg's and OBS's split (app live, key cam1) reaches, and so do
// Flussonic's other forms.
func TestPublishNames(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hooks := nameHooks{stream: "cam1", names: make(chan media.StreamName, 1)}
	srv := &rtmp.Server{Hooks: hooks, Logger: slog.New(slog.DiscardHandler)}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Close)
	for _, form := range []struct{ app, key string }{
		{"live/cam1", ""}, {"live", "cam1"}, {"static", "cam1"}, {"cam1", "cam1"}, {"live/cam1?token=t", ""},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		p := &Publisher{Addr: ln.Addr().String(), App: form.app, Key: form.key, Sample: audioSample()}
		done := make(chan error, 1)
		go func() { done <- p.Run(ctx, func() {}) }()
		select {
		case name := <-hooks.names:
			if name != "cam1" {
				t.Errorf("app %q key %q published %q, want cam1", form.app, form.key, name)
			}
		case err := <-done:
			t.Errorf("app %q key %q: %v before publishing", form.app, form.key, err)
		case <-ctx.Done():
			t.Errorf("app %q key %q: no publication", form.app, form.key)
		}
		cancel()
		<-done
	}
}
