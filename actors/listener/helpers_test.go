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

// Shared fixtures of the listener tests: every protocol publishes through
// the same publisher, so each protocol's test runs the same checks through
// its own hooks.

var aac = []media.Track{{ID: 0, Codec: media.CodecAAC, SampleRate: 48000, Channels: 2, AudioConfig: []byte{0x11, 0x90}}}

// lookupFunc is the streams Directory's lookup, as Config.Lookup takes it.
type lookupFunc = func(name string) (*stream.Status, bool)

// spawnStreams starts one stream actor per config under a probe and
// returns a Lookup over their status.
func spawnStreams(t *testing.T, sys *actor.ActorSystem, cfgs ...config.Stream) lookupFunc {
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

// publishFixture spawns stream name (publish:// input) and stream "pulled"
// (no publish input). It returns the plain lookup over them and one that
// also finds stream "dead", configured but not running.
func publishFixture(t *testing.T, sys *actor.ActorSystem, name string) (lookup, withDead lookupFunc) {
	t.Helper()
	lookup = spawnStreams(t, sys, publishStream(name),
		config.Stream{Name: "pulled", MediaOptions: config.MediaOptions{Inputs: []config.Input{{URL: "none://"}}}})
	down := &stream.Status{Name: "dead", State: stream.StateError, Active: -1}
	withDead = func(name string) (*stream.Status, bool) {
		if name == "dead" {
			return down, true
		}
		return lookup(name)
	}
	return lookup, withDead
}

// refusal is a stream name and why a listener refuses a publisher to it
// (nil: admitted).
type refusal struct {
	name string
	want error
}

// refusals are the stream names of publishFixture that every listener
// refuses.
var refusals = []refusal{
	{"nope", ErrNoStream},
	{"dead", ErrStreamDown},
	{"pulled", stream.ErrNoPublishInput},
}

// feedCase is one admitted publication checked by checkFeeds.
type feedCase struct {
	stream  string // the stream the publication lands on
	waiting bool   // after release the stream must also be back to waiting
	// publish starts the publication with ctx, which carries its counters.
	publish func(ctx context.Context) (media.Sink, func(), error)
}

// checkFeeds: the publication takes the stream's input 0 with the caller's
// counters, its sink feeds the stream's hub, and release frees the input.
func checkFeeds(t *testing.T, lookup lookupFunc, fc feedCase) {
	t.Helper()
	stats := new(media.InputStats)
	sink, release, err := fc.publish(media.WithInputStats(context.Background(), stats))
	if err != nil {
		t.Fatalf("Publish to %s: %v", fc.stream, err)
	}
	synctest.Wait()
	st, _ := lookup(fc.stream)
	if st.Active != 0 || st.Inputs[0].Stats != stats {
		t.Errorf("after Publish: active %d, input stats %p; want input 0 with the publisher's counters %p",
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
	if st, _ := lookup(fc.stream); st.Active != -1 || fc.waiting && st.State != stream.StateWaiting {
		t.Errorf("after release: active %d state %q, want -1 (and waiting: %v)", st.Active, st.State, fc.waiting)
	}
}

// tcpHooks is what the TCP protocols' hooks (rtmpHooks, rtspHooks) share.
type tcpHooks interface {
	Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error)
}

// testHooksPublish: a TCP protocol's hooks refuse the refusals, and a
// publisher they admit to stream name feeds it until released.
func testHooksPublish(t *testing.T, name string, newHooks func(*publisher) tcpHooks) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		lookup, withDead := publishFixture(t, sys, name)
		h := newHooks(&publisher{root: sys.Root, lookup: withDead})
		for _, tt := range refusals {
			if _, _, err := h.Publish(context.Background(), media.StreamName(tt.name), aac); !errors.Is(err, tt.want) {
				t.Errorf("Publish(%s) = %v, want %v", tt.name, err, tt.want)
			}
		}
		checkFeeds(t, lookup, feedCase{stream: name, waiting: true, publish: func(ctx context.Context) (media.Sink, func(), error) {
			return h.Publish(ctx, media.StreamName(name), aac)
		}})
	})
}

// testListenerAddrAndStop: a TCP listener made by props reports its
// address, closes its port when stopped, and reports a port it could not
// open (busy, which the fake Listen refuses).
func testListenerAddrAndStop(t *testing.T, props func(Config) *actor.Props, busy string) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		ln := fasthttputil.NewInmemoryListener()
		pid := sys.Root.Spawn(props(Config{
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
		pid = sys.Root.Spawn(props(Config{
			Address: busy,
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
