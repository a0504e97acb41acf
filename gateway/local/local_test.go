package local_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/server"
	"streamhive/gateway/live"
	"streamhive/gateway/local"
	"streamhive/media/mediatest"
	"streamhive/media/segment"
)

// TestLocate: the local locator finds every configured stream here, and
// its Stream acts on the actor server: status, input select, stop; a
// stopped stream starts over as a new lineage (a new Stream, the old one's
// window ended).
func TestLocate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "streamhive.conf")
	if err := os.WriteFile(path, []byte("stream cam { input publish://; }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := server.Start(server.Options{ConfigPath: path, Logger: kittest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	here := local.Server{Server: srv}

	if _, ok := here.Locate("nope"); ok {
		t.Error("Locate(nope): found")
	}
	first := locateRunning(ctx, t, here, nil)
	if _, ok := first.Stats(); !ok {
		t.Error("Stats: none")
	}
	if _, err := first.Preview(ctx); !errors.Is(err, live.ErrNotProducing) {
		t.Errorf("Preview before any picture = %v, want ErrNotProducing", err)
	}
	if err := first.SelectInput(ctx, 3); !errors.Is(err, config.ErrNoInput) {
		t.Errorf("SelectInput(3) = %v, want ErrNoInput", err)
	}
	if err := first.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	second := locateRunning(ctx, t, here, first.Window())
	// The old lineage ends as its actor stops, which the new one need
	// not wait for: Stop answers once the stop is asked.
	if !mediatest.Eventually(5*time.Second, func() bool { return first.Window().Ended }) {
		t.Error("the stopped stream's window has not ended")
	}
	if second.Window().Ended {
		t.Error("the restarted stream's window has ended")
	}
}

// locateRunning locates cam until it has a window other than old.
func locateRunning(ctx context.Context, t *testing.T, l live.Locator, old *segment.Window) live.Stream {
	t.Helper()
	for {
		loc, ok := l.Locate("cam")
		if !ok || loc.Node != live.Local {
			t.Fatalf("Locate(cam) = %+v, %v; want it here", loc, ok)
		}
		if w := loc.Stream.Window(); w != nil && w != old {
			return loc.Stream
		}
		select {
		case <-ctx.Done():
			t.Fatal("cam never ran")
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// TestLocatedStreamWantsOpus: a located stream is a live.OpusAudio and a
// live.Frames; a stream whose source has not connected counts the want
// (its encoder waits for the audio), and Frames' consumer reads the
// derived tracks the Opus rendition will be one of.
func TestLocatedStreamWantsOpus(t *testing.T) {
	path := filepath.Join(t.TempDir(), "streamhive.conf")
	if err := os.WriteFile(path, []byte("stream cam { input publish://; }\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := server.Start(server.Options{ConfigPath: path, Logger: kittest.Logger(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s := locateRunning(ctx, t, local.Viewers{Server: local.Server{Server: srv}}, nil)
	opus, ok := s.(live.OpusAudio)
	frames, ok2 := s.(live.Frames)
	if !ok || !ok2 {
		t.Fatalf("%T is not a live.OpusAudio and a live.Frames", s)
	}
	c, err := frames.Frames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	release, err := opus.WantOpus()
	if err != nil {
		t.Fatalf("WantOpus before the source connected: %v", err)
	}
	release()
	release()
}
