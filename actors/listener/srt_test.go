package listener

import (
	"context"
	"errors"
	"net"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/kit"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/protocols/srt"
)

func TestSRTHooksAdmit(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		lookup := spawnStreams(t, sys, publishStream("live1"),
			config.Stream{Name: "pulled", MediaOptions: config.MediaOptions{Inputs: []config.Input{{URL: "none://"}}}})
		down := &stream.Status{Name: "dead", State: stream.StateError, Active: -1}
		withDead := func(name string) (*stream.Status, bool) {
			if name == "dead" {
				return down, true
			}
			return lookup(name)
		}
		global := &srtHooks{root: sys.Root, lookup: withDead}
		own := &srtHooks{root: sys.Root, lookup: withDead, stream: "live1"}
		for _, tt := range []struct {
			name   string
			hooks  *srtHooks
			stream media.StreamName
			want   error
			reason srt.Reason
		}{
			{"configured", global, "live1", nil, 0},
			{"unknown", global, "nope", ErrNoStream, srt.ReasonNotFound},
			{"no streamid", global, "", ErrNoStream, srt.ReasonNotFound},
			{"not running", global, "dead", ErrStreamDown, srt.ReasonDown},
			{"no publish input", global, "pulled", stream.ErrNoPublishInput, srt.ReasonForbidden},
			{"stream port ignores streamid", own, "nope", nil, 0},
		} {
			err := tt.hooks.Admit(tt.stream, nil)
			var re *srt.RejectError
			if !errors.Is(err, tt.want) || err != nil && (!errors.As(err, &re) || re.Reason != tt.reason) {
				t.Errorf("%s: Admit(%q) = %v, want %v with %s", tt.name, tt.stream, err, tt.want, tt.reason)
			}
		}

		stats := new(media.InputStats)
		sink, release, err := own.Publish(media.WithInputStats(context.Background(), stats), "whatever", aac)
		if err != nil {
			t.Fatalf("Publish on the stream's own port: %v", err)
		}
		synctest.Wait()
		st, _ := lookup("live1")
		if st.Active != 0 || st.Inputs[0].Stats != stats {
			t.Errorf("after Publish: active %d, stats %p; want input 0 with %p", st.Active, st.Inputs[0].Stats, stats)
		}
		c, _ := st.Playback.Subscribe()
		defer c.Close()
		sink.WriteFrame(&media.Frame{Keyframe: true, Data: [][]byte{{1}}})
		if len(c.C()) != 1 {
			t.Errorf("the sink does not feed the stream's hub")
		}
		release()
		synctest.Wait()
		if st, _ := lookup("live1"); st.Active != -1 {
			t.Errorf("after release: active %d, want -1", st.Active)
		}
		if _, _, err := global.Publish(context.Background(), "pulled", aac); !errors.Is(err, stream.ErrNoPublishInput) {
			t.Errorf("Publish(pulled) = %v, want ErrNoPublishInput", err)
		}
	})
}

// TestSRTListenerLifetime runs outside a synctest bubble: gosrt's sockets
// are real UDP sockets, which a bubble cannot wait on.
func TestSRTListenerLifetime(t *testing.T) {
	sys := kit.NewSystem(nil)
	defer sys.Shutdown()
	none := func(string) (*stream.Status, bool) { return nil, false }
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	pid := sys.Root.Spawn(SRTProps(SRTConfig{Address: "127.0.0.1:0", Lookup: none}))
	rep, err := kit.Ask[*GetAddrReply](ctx, sys.Root, pid, &GetAddr{})
	if err != nil || rep.Err != nil {
		t.Fatalf("GetAddr = %+v, %v", rep, err)
	}
	addr, ok := rep.Addr.(*net.UDPAddr)
	if !ok || addr.Port == 0 {
		t.Fatalf("GetAddr = %v, want a bound UDP address", rep.Addr)
	}

	taken := sys.Root.Spawn(SRTProps(SRTConfig{Address: addr.String(), Lookup: none}))
	rep, err = kit.Ask[*GetAddrReply](ctx, sys.Root, taken, &GetAddr{})
	if err != nil || rep.Err == nil || rep.Addr != nil {
		t.Errorf("GetAddr on a taken port = %+v, %v; want the error", rep, err)
	}
	if err := sys.Root.StopFuture(taken).Wait(); err != nil {
		t.Fatal(err)
	}

	if err := sys.Root.StopFuture(pid).Wait(); err != nil {
		t.Fatal(err)
	}
	// Stopped: the port is free again.
	pc, err := net.ListenPacket("udp", addr.String())
	if err != nil {
		t.Fatalf("the port is still taken after the actor stopped: %v", err)
	}
	_ = pc.Close()
}
