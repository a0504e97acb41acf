//go:build e2e

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"streamhive/media/mediatest"
)

// eventHook is an event_sink handler on 127.0.0.1: it keeps every event
// of every batch it takes, in order, and answers 503 while down.
type eventHook struct {
	mu     sync.Mutex
	down   bool
	posts  int
	events []map[string]any
}

func (h *eventHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.posts++
	if h.down {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	var batch []map[string]any
	if err := json.Unmarshal(body, &batch); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	h.events = append(h.events, batch...)
}

func (h *eventHook) setDown(down bool) {
	h.mu.Lock()
	h.down = down
	h.mu.Unlock()
}

// has reports whether an event called name arrived for media ("" any).
func (h *eventHook) has(name, media string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, e := range h.events {
		if e["event"] == name && (media == "" || e["media"] == media) {
			return true
		}
	}
	return false
}

func (h *eventHook) ids() []int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]int64, 0, len(h.events))
	for _, e := range h.events {
		id, _ := e["event_id"].(float64)
		out = append(out, int64(id))
	}
	return out
}

// TestEventSinkDelivers: an HTTP sink on loopback receives the documented
// events for a publisher connecting and leaving (ffmpeg over RTMP), a
// failover, a DVR write error and a config reload (SIGHUP); with the sink
// down for 30 s, the events are retried and all delivered after, in order
// (event_ids consecutive: none lost, none twice).
func TestEventSinkDelivers(t *testing.T) {
	hook := &eventHook{}
	sink := httptest.NewServer(hook)
	defer sink.Close()
	port, rtmpPort := freePort(t), freePort(t)
	dir := t.TempDir()
	root := filepath.Join(dir, "dvr")
	conf := fmt.Sprintf("rtmp 127.0.0.1:%d;\n"+
		"event_sink hook { url %s/hook; resend_timeout 2; }\n"+
		"stream live1 { input publish://; segment_duration 1; }\n"+
		"stream fo { input publish://; input fake://; source_timeout 2; return_after 1; segment_duration 1; }\n"+
		"stream rec { input fake://; segment_duration 1; dvr %s 1h; }\n", rtmpPort, sink.URL, root)
	cfgPath := writeConfig(t, dir, port, conf)
	p := start(t, port, "-config", cfgPath)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pub1, _ := publishRTMP(ctx, t, fmt.Sprintf("rtmp://127.0.0.1:%d/live1", rtmpPort), "320x240", 6)
	pub2, _ := publishRTMP(ctx, t, fmt.Sprintf("rtmp://127.0.0.1:%d/fo", rtmpPort), "320x240", 8)
	for _, want := range [][2]string{
		{"publish_started", "live1"},
		{"stream_started", "live1"},
		{"source_ready", "live1"},
		{"stream_started", "fo"},
		{"stream_started", "rec"},
	} {
		mediatest.WaitFor(t, 20*time.Second, want[0]+" of "+want[1], func() bool { return hook.has(want[0], want[1]) })
	}
	_ = pub1.Wait()
	for _, want := range [][2]string{{"publish_stopped", "live1"}, {"source_lost", "live1"}, {"stream_stopped", "live1"}} {
		mediatest.WaitFor(t, 20*time.Second, want[0]+" of "+want[1], func() bool { return hook.has(want[0], want[1]) })
	}
	_ = pub2.Wait()
	mediatest.WaitFor(t, 20*time.Second, "the failover of fo", func() bool { return hook.has("source_switched", "fo") })

	// The DVR's directory replaced by a file: every write fails.
	mediatest.WaitFor(t, 20*time.Second, "a recording", func() bool {
		_, err := os.Stat(filepath.Join(root, "rec"))
		return err == nil
	})
	// Moved away in one step: RemoveAll races the writer, which may add a
	// file to a folder between its listing and its removal.
	if err := os.Rename(root, root+".gone"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(root, []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	mediatest.WaitFor(t, 20*time.Second, "dvr_error", func() bool { return hook.has("dvr_error", "rec") })

	// The sink goes down for 30 s; a reload and a publisher come and go
	// meanwhile; nothing is lost.
	hook.setDown(true)
	downAt := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	pub3, _ := publishRTMP(ctx, t, fmt.Sprintf("rtmp://127.0.0.1:%d/live1", rtmpPort), "320x240", 3)
	_ = pub3.Wait()
	time.Sleep(30*time.Second - time.Since(downAt)) // the outage lasts 30 s, whatever happened in it
	hook.mu.Lock()
	triedWhileDown := hook.posts
	hook.mu.Unlock()
	hook.setDown(false)
	mediatest.WaitFor(t, 20*time.Second, "config_reloaded after the outage", func() bool { return hook.has("config_reloaded", "") })
	mediatest.WaitFor(t, 20*time.Second, "the second publisher's publish_stopped", func() bool {
		hook.mu.Lock()
		defer hook.mu.Unlock()
		n := 0
		for _, e := range hook.events {
			if e["event"] == "publish_stopped" && e["media"] == "live1" {
				n++
			}
		}
		return n == 2
	})
	ids := hook.ids()
	want := make([]int64, len(ids))
	for i := range want {
		want[i] = int64(i + 1)
	}
	if !slices.Equal(ids, want) {
		t.Errorf("event_ids not 1..%d in order: %v", len(ids), ids)
	}
	if triedWhileDown < 5 {
		t.Errorf("%d POSTs in all by the end of the outage: the sink was not retried", triedWhileDown)
	}
	t.Logf("%d events, %d POSTs (%d by the end of the 30 s outage)", len(ids), hook.posts, triedWhileDown)
}
