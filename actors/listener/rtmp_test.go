package listener

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/valyala/fasthttp/fasthttputil"

	"streamhive/actors/config"
	"streamhive/actors/input"
	"streamhive/actors/kit"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/media"
)

var aac = []media.Track{{ID: 0, Codec: media.CodecAAC, SampleRate: 48000, Channels: 2, AudioConfig: []byte{0x11, 0x90}}}

// spawnStreams starts one stream actor per config under a probe and
// returns a Lookup over their status.
func spawnStreams(t *testing.T, sys *actor.ActorSystem, cfgs ...config.Stream) func(string) (*stream.Status, bool) {
	t.Helper()
	probe := kittest.NewProbe(t, sys)
	byName := map[string]*atomic.Pointer[stream.Status]{}
	for _, cfg := range cfgs {
		status := new(atomic.Pointer[stream.Status])
		probe.SpawnNamed(stream.Props(stream.Config{
			Stream: cfg,
			Input: func(s stream.InputSpec) *actor.Props {
				return input.Props(input.Config{Spec: s, Pullers: input.Builtin()})
			},
			Status: status,
		}), cfg.Name)
		byName[cfg.Name] = status
	}
	synctest.Wait()
	return func(name string) (*stream.Status, bool) {
		p, ok := byName[name]
		if !ok {
			return nil, false
		}
		return p.Load(), true
	}
}

func publishStream(name string) config.Stream {
	return config.Stream{Name: name, MediaOptions: config.MediaOptions{Inputs: []config.Input{{URL: "publish://"}}}}
}

func TestHooksPublish(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		lookup := spawnStreams(t, sys, publishStream("live1"),
			config.Stream{Name: "pulled", MediaOptions: config.MediaOptions{Inputs: []config.Input{{URL: "none://"}}}})
		down := &stream.Status{Name: "dead", State: stream.StateError, Active: -1}
		h := rtmpHooks{&publisher{root: sys.Root, lookup: func(name string) (*stream.Status, bool) {
			if name == "dead" {
				return down, true
			}
			return lookup(name)
		}}}
		ctx := context.Background()

		for _, tt := range []struct {
			name string
			want error
		}{
			{"nope", ErrNoStream},
			{"dead", ErrStreamDown},
			{"pulled", stream.ErrNoPublishInput},
		} {
			if _, _, err := h.Publish(ctx, media.StreamName(tt.name), aac); !errors.Is(err, tt.want) {
				t.Errorf("Publish(%s) = %v, want %v", tt.name, err, tt.want)
			}
		}

		stats := new(media.InputStats)
		sink, release, err := h.Publish(media.WithInputStats(ctx, stats), "live1", aac)
		if err != nil {
			t.Fatalf("Publish(live1): %v", err)
		}
		synctest.Wait()
		st, _ := lookup("live1")
		if st.Active != 0 || st.Inputs[0].Stats != stats {
			t.Errorf("after Publish: active %d, input stats %p; want input 0 with the connection's counters %p",
				st.Active, st.Inputs[0].Stats, stats)
		}
		c, _ := st.Playback.Subscribe()
		defer c.Close()
		sink.WriteFrame(&media.Frame{Keyframe: true, Data: [][]byte{{1}}})
		if len(c.C()) != 1 {
			t.Errorf("the sink does not feed the stream's hub")
		}
		release()
		synctest.Wait()
		if st, _ := lookup("live1"); st.Active != -1 || st.State != stream.StateWaiting {
			t.Errorf("after release: active %d state %q, want -1 waiting", st.Active, st.State)
		}
	})
}

func TestListenerAddrAndStop(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		ln := fasthttputil.NewInmemoryListener()
		pid := sys.Root.Spawn(RTMPProps(Config{
			Address: "127.0.0.1:0",
			Lookup:  func(string) (*stream.Status, bool) { return nil, false },
			Listen:  func(string, string) (net.Listener, error) { return ln, nil },
		}))
		rep, err := kit.Ask[*GetAddrReply](context.Background(), sys.Root, pid, &GetAddr{})
		if err != nil || rep.Err != nil || rep.Addr != ln.Addr() {
			t.Fatalf("GetAddr = %+v, %v; want the listener's address", rep, err)
		}
		if err := sys.Root.StopFuture(pid).Wait(); err != nil {
			t.Fatal(err)
		}
		// Stopped: the server is closed, so the listener no longer accepts.
		if _, err := ln.Dial(); err == nil {
			t.Errorf("the listener still accepts after the actor stopped")
		}

		refused := errors.New("address already in use")
		pid = sys.Root.Spawn(RTMPProps(Config{
			Address: "127.0.0.1:1935",
			Lookup:  func(string) (*stream.Status, bool) { return nil, false },
			Listen:  func(string, string) (net.Listener, error) { return nil, refused },
		}))
		rep, err = kit.Ask[*GetAddrReply](context.Background(), sys.Root, pid, &GetAddr{})
		if err != nil || !errors.Is(rep.Err, refused) || rep.Addr != nil {
			t.Errorf("GetAddr on a port in use = %+v, %v; want the error", rep, err)
		}
		sys.Root.Stop(pid)
		time.Sleep(time.Second)
		synctest.Wait()
	})
}
