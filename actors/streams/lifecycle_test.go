package streams_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/kit"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/actors/streams"
)

func (h *harness) open(name string, publish bool) error {
	h.t.Helper()
	rep, err := kit.Ask[*streams.OpenReply](context.Background(), h.sys.Root, h.pid, &streams.Open{Name: name, Publish: publish})
	if err == nil {
		err = rep.Err
	}
	synctest.Wait()
	return err
}

func (h *harness) listed(name string) bool {
	_, ok := h.dir.Load().Status(name)
	return ok
}

func liveTemplate() *config.Server {
	tpl := config.Template{Name: "live", Prefixes: []string{"live"}}
	tpl.Inputs = []config.Input{{URL: "publish://"}}
	return &config.Server{Templates: []config.Template{tpl}}
}

// A publisher's name under a template's prefix creates a stream from the
// template, listed (and in Dynamic) while it lives and gone once nothing
// has fed it for Idle.Dynamic. Names outside every prefix, and viewers,
// create nothing.
func TestTemplateStreamComesAndGoes(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		h := start(t, sys, liveTemplate(), func(c *streams.Config) { c.Idle.Dynamic = 5 * time.Second })
		if err := h.open("other/cam", true); !errors.Is(err, streams.ErrNotRunning) {
			t.Fatalf("open outside the prefixes: %v, want ErrNotRunning", err)
		}
		if err := h.open("live/cam", false); !errors.Is(err, streams.ErrNotRunning) {
			t.Fatalf("a viewer opened a template's stream: %v", err)
		}
		if err := h.open("live/cam", true); err != nil {
			t.Fatalf("open: %v", err)
		}
		st := h.status("live/cam")
		if st.PID == nil {
			t.Fatal("created stream has no actor")
		}
		dyn := h.dir.Load().Dynamic()
		if dyn == nil || len(*dyn) != 1 || (*dyn)[0].Name != "live/cam" || (*dyn)[0].Template != "live" {
			t.Fatalf("Dynamic() = %v, want live/cam from template live", dyn)
		}
		if err := h.open("live/cam", true); err != nil || !h.status("live/cam").PID.Equal(st.PID) {
			t.Fatalf("a second open restarted the stream (err %v)", err)
		}

		time.Sleep(4 * time.Second)
		synctest.Wait()
		if !h.listed("live/cam") {
			t.Fatal("removed before its idle time")
		}
		time.Sleep(4 * time.Second)
		synctest.Wait()
		if h.listed("live/cam") || h.dir.Load().Dynamic() != nil {
			t.Fatal("still listed after its idle time with no publisher")
		}
		if h.exists(st.PID) {
			t.Error("its actor still runs")
		}
	})
}

// An on-demand stream is listed asleep (no actor, stopped), starts when
// opened, runs while it has viewers and sleeps again Idle.OnDemand after
// the last one.
func TestOnDemandStreamSleepsWithoutViewers(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		off := false
		cfg := server(config.Stream{Name: "cam", MediaOptions: config.MediaOptions{
			Static: &off, Inputs: []config.Input{{URL: "fake://"}},
		}})
		var viewers atomic.Int64
		h := start(t, sys, cfg, func(c *streams.Config) {
			c.Idle.OnDemand = 5 * time.Second
			c.Viewers = func(string) int { return int(viewers.Load()) }
		})
		if st := h.status("cam"); st.PID != nil || st.State != stream.StateStopped {
			t.Fatalf("on-demand stream at start: pid %v state %q, want asleep", st.PID, st.State)
		}
		viewers.Store(1)
		if err := h.open("cam", false); err != nil {
			t.Fatalf("open: %v", err)
		}
		st := h.status("cam")
		if st.PID == nil {
			t.Fatal("opened on-demand stream has no actor")
		}
		time.Sleep(time.Minute) // viewers keep it running
		synctest.Wait()
		if !h.status("cam").PID.Equal(st.PID) {
			t.Fatal("stopped while it had a viewer")
		}
		viewers.Store(0)
		time.Sleep(8 * time.Second)
		synctest.Wait()
		if got := h.status("cam"); got.PID != nil || got.State != stream.StateStopped {
			t.Fatalf("after its idle time: pid %v state %q, want asleep", got.PID, got.State)
		}
		if h.exists(st.PID) {
			t.Error("its actor still runs")
		}
	})
}
