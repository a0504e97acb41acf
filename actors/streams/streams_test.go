package streams_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/VictoriaMetrics/metrics"
	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/input"
	"streamhive/actors/kit"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/actors/streams"
	"streamhive/supervision"
)

type harness struct {
	t     *testing.T
	sys   *actor.ActorSystem
	probe *kittest.Probe
	pid   *actor.PID
	dir   *atomic.Pointer[streams.Directory]
	cur   atomic.Pointer[config.Server]
}

func start(t *testing.T, sys *actor.ActorSystem, cfg *config.Server, tweak func(*streams.Config)) *harness {
	t.Helper()
	h := &harness{t: t, sys: sys, probe: kittest.NewProbe(t, sys), dir: new(atomic.Pointer[streams.Directory])}
	h.cur.Store(cfg)
	c := streams.Config{
		Current:   h.cur.Load,
		Pullers:   input.Builtin(),
		Directory: h.dir,
	}
	if tweak != nil {
		tweak(&c)
	}
	h.pid = h.probe.SpawnNamed(streams.Props(c), "streams")
	synctest.Wait()
	return h
}

// apply makes next the configuration in effect, as the config owner does.
func (h *harness) apply(next *config.Server) {
	h.t.Helper()
	diff := config.Diff(h.cur.Load(), next)
	h.cur.Store(next)
	rep, err := kit.Ask[*streams.ApplyReply](context.Background(), h.sys.Root, h.pid, &streams.Apply{Config: next, Diff: diff})
	if err == nil {
		err = rep.Err
	}
	if err != nil {
		h.t.Fatalf("apply: %v", err)
	}
	synctest.Wait()
}

func (h *harness) status(name string) *stream.Status {
	h.t.Helper()
	st, ok := h.dir.Load().Status(name)
	if !ok {
		h.t.Fatalf("stream %q not in the directory", name)
	}
	return st
}

func (h *harness) exists(pid *actor.PID) bool {
	_, ok := h.sys.ProcessRegistry.Get(pid)
	return ok
}

func publishStream(name, title string) config.Stream {
	return config.Stream{Name: name, Title: title, MediaOptions: config.MediaOptions{
		Inputs: []config.Input{{URL: "publish://"}},
	}}
}

func server(streams ...config.Stream) *config.Server { return &config.Server{Streams: streams} }

func TestApplyDiff(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		h := start(t, sys, server(publishStream("a", ""), publishStream("b", ""), publishStream("c", "")), nil)
		a, b, c := h.status("a"), h.status("b"), h.status("c")

		time.Sleep(time.Minute)
		disabled := publishStream("c", "")
		disabled.Disabled = true
		h.apply(server(publishStream("a", ""), publishStream("b", "Bee"), disabled, publishStream("d", "")))

		// a is untouched: same actor, same input actor, lifetime grown.
		if st := h.status("a"); st != a && (!st.PID.Equal(a.PID) || !st.Inputs[0].PID.Equal(a.Inputs[0].PID)) {
			t.Errorf("unchanged stream a was restarted")
		}
		if lt := h.status("a").Stats(time.Now()).Lifetime; lt != time.Minute {
			t.Errorf("a lifetime = %v, want 1m", lt)
		}
		// b changed its title only: same actors, lifetime grown.
		if st := h.status("b"); !st.PID.Equal(b.PID) || !st.Inputs[0].PID.Equal(b.Inputs[0].PID) {
			t.Errorf("stream b was restarted by a title change")
		}
		if lt := h.status("b").Stats(time.Now()).Lifetime; lt != time.Minute {
			t.Errorf("b lifetime = %v, want 1m", lt)
		}
		// c is disabled: its actors are gone.
		if _, ok := h.dir.Load().Status("c"); ok {
			t.Errorf("disabled stream c still in the directory")
		}
		if h.exists(c.PID) || h.exists(c.Inputs[0].PID) {
			t.Errorf("disabled stream c still has actors")
		}
		// d is new.
		if lt := h.status("d").Stats(time.Now()).Lifetime; lt != 0 {
			t.Errorf("new stream d lifetime = %d, want 0", lt)
		}

		h.apply(server(publishStream("b", "Bee"), publishStream("d", "")))
		if _, ok := h.dir.Load().Status("a"); ok {
			t.Errorf("removed stream a still in the directory")
		}
		if h.exists(a.PID) || h.exists(a.Inputs[0].PID) {
			t.Errorf("removed stream a still has actors: %v %v", a.PID, a.Inputs[0].PID)
		}
		if got := h.dir.Load().Names(); len(got) != 2 || got[0] != "b" || got[1] != "d" {
			t.Errorf("directory = %v, want [b d]", got)
		}
		h.probe.Expect()
	})
}

func TestApplyIsIdempotent(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		h := start(t, sys, server(publishStream("a", "")), nil)
		a := h.status("a")
		cfg := server(publishStream("a", ""))
		rep, err := kit.Ask[*streams.ApplyReply](context.Background(), sys.Root, h.pid, &streams.Apply{
			Config: cfg, Diff: config.StreamDiff{Added: []string{"a"}, Removed: []string{"zzz"}},
		})
		if err != nil || rep.Err != nil {
			t.Fatalf("apply: %v %v", err, rep.Err)
		}
		synctest.Wait()
		if st := h.status("a"); !st.PID.Equal(a.PID) {
			t.Errorf("re-adding a running stream restarted it")
		}
	})
}

// crash makes a stream actor panic.
type crash struct{}

func crashable(c stream.Config) *actor.Props {
	return stream.Props(c).Configure(actor.WithReceiverMiddleware(crashOn))
}

func TestCrashingStreamRestartsAlone(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		h := start(t, sys, server(publishStream("a", ""), publishStream("b", "")), func(c *streams.Config) {
			c.StreamProps = crashable
			c.Supervisor = &supervision.RestartWithBackoff{
				Backoff:     supervision.Backoff{Initial: 2 * time.Second, Max: time.Minute, Rand: func(time.Duration) time.Duration { return 0 }},
				MaxRestarts: 2,
				Window:      time.Hour,
			}
		})
		a, b := h.status("a"), h.status("b")
		restarts := restartCount(t)

		time.Sleep(time.Minute)
		sys.Root.Send(a.PID, &crash{})
		time.Sleep(time.Second) // the first restart waits 1s
		synctest.Wait()

		// A restart keeps the PID and starts a new instance, which starts
		// its inputs again (under the same names: the old ones are gone
		// before protoactor restarts a parent).
		st := h.status("a")
		if !st.PID.Equal(a.PID) || st == a || !h.exists(st.Inputs[0].PID) {
			t.Errorf("crashed stream a: want the same PID, a new snapshot and a live input")
		}
		if lt := st.Stats(time.Now()).Lifetime; lt != 0 {
			t.Errorf("restarted stream a lifetime = %d, want 0 (a new instance)", lt)
		}
		if st := h.status("b"); st != b {
			t.Errorf("stream b changed when a crashed: %+v, was %+v", st, b)
		}
		if lt := h.status("b").Stats(time.Now()).Lifetime; lt != 61*time.Second {
			t.Errorf("b lifetime = %v, want 1m1s", lt)
		}
		if got := restartCount(t) - restarts; got != 1 {
			t.Errorf("streamhive_actor_restarts_total{actor=\"stream\"} grew by %d, want 1", got)
		}

		// Two more crashes spend the budget of 2: a stays down, in error.
		sys.Root.Send(a.PID, &crash{})
		time.Sleep(time.Minute)
		synctest.Wait()
		sys.Root.Send(a.PID, &crash{})
		time.Sleep(time.Minute)
		synctest.Wait()
		if st := h.status("a"); st.State != stream.StateError || h.exists(a.PID) {
			t.Errorf("after the budget: a state %q, actor exists %v; want error, gone", st.State, h.exists(a.PID))
		}
		if st := h.status("b"); st != b {
			t.Errorf("stream b changed when a was given up on")
		}

		// A StopStream starts it afresh.
		if err := stopStream(t, h, "a"); err != nil {
			t.Fatalf("StopStream(a) = %v", err)
		}
		if st := h.status("a"); st.State != stream.StateWaiting || st.PID.Equal(a.PID) {
			t.Errorf("after StopStream: a state %q, want waiting in a new actor", st.State)
		}
	})
}

func restartCount(t *testing.T) int {
	t.Helper()
	return int(metrics.GetOrCreateCounter(`streamhive_actor_restarts_total{actor="stream"}`).Get())
}

func stopStream(t *testing.T, h *harness, name string) error {
	t.Helper()
	rep, err := kit.Ask[*streams.StopStreamReply](context.Background(), h.sys.Root, h.pid, &streams.StopStream{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	synctest.Wait()
	return rep.Err
}

func TestStopStreamStartsAFreshActor(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		h := start(t, sys, server(publishStream("a", ""), publishStream("b", "")), nil)
		a, b := h.status("a"), h.status("b")
		time.Sleep(time.Minute)

		if err := stopStream(t, h, "a"); err != nil {
			t.Fatalf("StopStream(a) = %v", err)
		}
		st := h.status("a")
		if st.PID.Equal(a.PID) || h.exists(a.PID) || h.exists(a.Inputs[0].PID) {
			t.Errorf("StopStream kept the old actors of a")
		}
		if lt := st.Stats(time.Now()).Lifetime; lt != 0 {
			t.Errorf("lifetime after StopStream = %d, want 0", lt)
		}
		if nb := h.status("b"); !nb.PID.Equal(b.PID) || !nb.Started.Equal(b.Started) {
			t.Errorf("StopStream(a) touched b")
		}
		if pb, ok := h.dir.Load().Playback("a"); !ok || pb != st.Playback || pb.Segmenter() == nil {
			t.Errorf("Directory.Playback(a) = %v %v, want the fresh actor's playback", pb, ok)
		}
		if pb, ok := h.dir.Load().Playback("nope"); ok || pb != nil {
			t.Errorf("Directory.Playback(nope) = %v %v, want nothing", pb, ok)
		}
		if err := stopStream(t, h, "nope"); !errors.Is(err, config.ErrNotFound) {
			t.Errorf("StopStream(nope) = %v, want ErrNotFound", err)
		}
	})
}

func TestStreamsGauge(t *testing.T) {
	gauge := func(state string) float64 {
		return metrics.GetOrCreateGauge(`streamhive_streams{status="`+state+`"}`, nil).Get()
	}
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		w0, e0 := gauge("waiting"), gauge("error")
		broken := config.Stream{Name: "broken", MediaOptions: config.MediaOptions{Inputs: []config.Input{{URL: "fake://"}}}}
		h := start(t, sys, server(publishStream("a", ""), publishStream("b", ""), broken), nil)
		if w, e := gauge("waiting")-w0, gauge("error")-e0; w != 2 || e != 1 {
			t.Errorf("gauges grew by waiting %v error %v, want 2 1", w, e)
		}
		h.apply(server(publishStream("a", "")))
		if w, e := gauge("waiting")-w0, gauge("error")-e0; w != 1 || e != 0 {
			t.Errorf("after removing two: waiting %v error %v, want 1 0", w, e)
		}
		if err := sys.Root.StopFuture(h.pid).Wait(); err != nil {
			t.Fatal(err)
		}
		if w := gauge("waiting") - w0; w != 0 {
			t.Errorf("after stopping the supervisor: waiting %v, want 0", w)
		}
	})
}

// TestRestartedSupervisorResyncs checks that a streams supervisor that
// crashes starts every configured stream again from Config.Current, so a
// diff it lost with its state costs nothing.
func TestRestartedSupervisorResyncs(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		h := start(t, sys, server(publishStream("a", "")), nil)
		a := h.status("a")
		// A configuration the supervisor never got a diff for.
		h.cur.Store(server(publishStream("a", ""), publishStream("b", "")))

		crashing := streams.Props(streams.Config{Current: h.cur.Load, Pullers: input.Builtin(), Directory: h.dir}).
			Configure(actor.WithReceiverMiddleware(crashOn))
		if err := sys.Root.StopFuture(h.pid).Wait(); err != nil {
			t.Fatal(err)
		}
		pid := h.probe.SpawnNamed(crashing, "streams2")
		synctest.Wait()
		if h.exists(a.PID) {
			t.Fatalf("stopping the supervisor left stream a running")
		}
		before := h.status("b")
		sys.Root.Send(pid, &crash{})
		synctest.Wait()
		if st := h.status("b"); st == before || !h.exists(st.PID) {
			t.Errorf("after the supervisor's restart, b was not started again")
		}
		if got := h.dir.Load().Names(); len(got) != 2 {
			t.Errorf("directory after restart = %v, want [a b]", got)
		}
	})
}

func crashOn(next actor.ReceiverFunc) actor.ReceiverFunc {
	return func(ctx actor.ReceiverContext, env *actor.MessageEnvelope) {
		if _, ok := env.Message.(*crash); ok {
			panic("injected crash")
		}
		next(ctx, env)
	}
}
