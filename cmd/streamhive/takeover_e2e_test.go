//go:build e2e

package main

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// TestPublisherTakeover: a second RTMP publisher to the same stream takes
// it over, and the first one's connection is closed (its ffmpeg exits with
// an error) instead of streaming into the void; the stream stays alive on
// the second.
func TestPublisherTakeover(t *testing.T) {
	port, rtmpPort := freePort(t), freePort(t)
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\nstream tk { input publish://; segment_duration 1; }\n", rtmpPort)
	p := start(t, port, "-config", writeConfig(t, t.TempDir(), port, conf))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	publish := func() (*exec.Cmd, chan error, *strings.Builder) {
		cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin", "-re",
			"-f", "lavfi", "-i", "testsrc=size=160x90:rate=25", "-t", "40",
			"-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "ultrafast", "-g", "25",
			"-f", "flv", fmt.Sprintf("rtmp://127.0.0.1:%d/live/tk", rtmpPort))
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		t.Cleanup(func() { _ = cmd.Process.Kill(); <-done })
		return cmd, done, out
	}
	_, firstDone, firstOut := publish()
	mediatest.WaitFor(t, 15*time.Second, "the first publisher live", func() bool {
		alive, _ := inputStats(t, p, "tk")
		return alive
	})
	_, secondDone, secondOut := publish()
	select {
	case err := <-firstDone:
		if err == nil {
			t.Errorf("the first publisher ended without an error; output: %s", firstOut)
		}
		firstDone <- err // for the cleanup
	case err := <-secondDone:
		t.Fatalf("the second publisher ended (%v) while the first went on: %s", err, secondOut)
	case <-time.After(15 * time.Second):
		t.Fatal("the first publisher is still connected 15 s after the second took over")
	}
	time.Sleep(2 * time.Second) // the second keeps the stream
	select {
	case err := <-secondDone:
		t.Fatalf("the second publisher ended too: %v: %s", err, secondOut)
	default:
	}
	if alive, _ := inputStats(t, p, "tk"); !alive {
		t.Error("the stream is not alive on the second publisher")
	}
}
