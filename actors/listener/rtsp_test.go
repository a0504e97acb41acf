package listener

import (
	"context"
	"errors"
	"net"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/valyala/fasthttp/fasthttputil"

	"streamhive/actors/config"
	"streamhive/actors/kit"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/media"
)

// TestRTSPHooksPublish: the RTSP hooks refuse what the RTMP ones refuse,
// and a publisher they admit feeds the stream until released.
func TestRTSPHooksPublish(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		lookup := spawnStreams(t, sys, publishStream("cam"),
			config.Stream{Name: "pulled", MediaOptions: config.MediaOptions{Inputs: []config.Input{{URL: "none://"}}}})
		h := rtspHooks{&publisher{root: sys.Root, lookup: func(name string) (*stream.Status, bool) {
			if name == "dead" {
				return &stream.Status{Name: "dead", State: stream.StateError, Active: -1}, true
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
		sink, release, err := h.Publish(media.WithInputStats(ctx, stats), "cam", aac)
		if err != nil {
			t.Fatalf("Publish(cam): %v", err)
		}
		synctest.Wait()
		st, _ := lookup("cam")
		if st.Active != 0 || st.Inputs[0].Stats != stats {
			t.Errorf("after Publish: active %d, input stats %p; want input 0 with the session's counters %p",
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
		if st, _ := lookup("cam"); st.Active != -1 || st.State != stream.StateWaiting {
			t.Errorf("after release: active %d state %q, want -1 waiting", st.Active, st.State)
		}
	})
}

// TestRTSPListenerAddrAndStop: the listener reports its address, closes
// its port when stopped, and reports a port it could not open.
func TestRTSPListenerAddrAndStop(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		ln := fasthttputil.NewInmemoryListener()
		pid := sys.Root.Spawn(RTSPProps(Config{
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
		if _, err := ln.Dial(); err == nil {
			t.Errorf("the listener still accepts after the actor stopped")
		}

		refused := errors.New("address already in use")
		pid = sys.Root.Spawn(RTSPProps(Config{
			Address: "127.0.0.1:8554",
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
