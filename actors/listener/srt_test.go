package listener

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/protocols/srt"
)

func TestSRTHooksAdmit(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		lookup, withDead := publishFixture(t, sys, "live1")
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
			err := tt.hooks.Admit(context.Background(), tt.stream, nil)
			var re *srt.RejectError
			if !errors.Is(err, tt.want) || err != nil && (!errors.As(err, &re) || re.Reason != tt.reason) {
				t.Errorf("%s: Admit(%q) = %v, want %v with %s", tt.name, tt.stream, err, tt.want, tt.reason)
			}
		}

		checkFeeds(t, lookup, feedCase{stream: "live1", publish: func(ctx context.Context) (media.Sink, func(), error) {
			return own.Publish(ctx, "whatever", aac)
		}})
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
