package stream_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/input"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/media/stats"
	"streamhive/supervision"
)

// scriptPuller fails its first `failures` pulls with err; later pulls
// publish, write `frames` frames of 10 bytes and wait until stopped.
type scriptPuller struct {
	failures int32
	err      error
	frames   int
	calls    atomic.Int32
}

func (p *scriptPuller) Pull(ctx context.Context, _ string, _ map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	if p.calls.Add(1) <= p.failures {
		return p.err
	}
	sink, err := publish([]media.Track{{Codec: media.CodecH264}})
	if err != nil {
		return err
	}
	stats := media.InputStatsFrom(ctx)
	for range p.frames {
		f := &media.Frame{Keyframe: true, Data: [][]byte{make([]byte, 10)}}
		sink.WriteFrame(f)
		stats.Bytes.Add(uint64(f.Size()))
		stats.Frames.Add(1)
	}
	<-ctx.Done()
	return nil
}

// noJitter restarts after exactly half of the nominal delay: 1s, 2s, 4s...
var noJitter = &supervision.RestartWithBackoff{
	Backoff: supervision.Backoff{Initial: 2 * time.Second, Max: time.Minute, Rand: func(time.Duration) time.Duration { return 0 }},
	Window:  time.Hour,
}

type fixture struct {
	probe  *kittest.Probe
	status *atomic.Pointer[stream.Status]
	pid    *actor.PID
}

func spawnStream(t *testing.T, sys *actor.ActorSystem, cfg config.Stream, pullers input.Pullers) fixture {
	t.Helper()
	f := fixture{probe: kittest.NewProbe(t, sys), status: new(atomic.Pointer[stream.Status])}
	f.pid = f.probe.SpawnNamed(stream.Props(stream.Config{
		Stream:     cfg,
		Input:      func(s stream.InputSpec) *actor.Props { return input.Props(input.Config{Spec: s, Pullers: pullers}) },
		Supervisor: noJitter,
		Status:     f.status,
	}), cfg.Name)
	synctest.Wait()
	return f
}

func (f fixture) stats() stats.Stream { return f.status.Load().Stats(time.Now()) }

func TestInputRestartsWithBackoff(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		p := &scriptPuller{failures: 2, err: errors.New("connection refused"), frames: 3}
		f := spawnStream(t, sys, config.Stream{Name: "cam1", MediaOptions: config.MediaOptions{
			Inputs: []config.Input{{URL: "flaky://cam"}},
		}}, input.Pullers{"flaky": p})

		// Pull 1 fails at 0s, restart after 1s; pull 2 fails, restart after 2s.
		st := f.stats()
		if st.Alive || p.calls.Load() != 1 || st.State != stream.StateError {
			t.Fatalf("at 0s: alive=%v pulls=%d status=%q, want false 1 error", st.Alive, p.calls.Load(), st.State)
		}
		if in := st.Inputs[0]; in.Failures+in.Dropped != 1 || in.Restarts != 1 || in.LastError != "connection refused" {
			t.Errorf("at 0s: input stats %+v, want 1 error, 1 restart, last_error", in)
		}
		time.Sleep(1500 * time.Millisecond)
		synctest.Wait()
		if st := f.stats(); st.Alive || p.calls.Load() != 2 {
			t.Fatalf("at 1.5s: alive=%v pulls=%d, want false 2", st.Alive, p.calls.Load())
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		st = f.stats()
		if !st.Alive || p.calls.Load() != 3 || st.State != stream.StateRunning {
			t.Fatalf("at 3.5s: alive=%v pulls=%d status=%q, want true 3 running", st.Alive, p.calls.Load(), st.State)
		}
		if in := st.Inputs[0]; st.Active != 0 || in.State != stream.InputRunning || in.Frames != 3 || in.Bytes != 30 || in.Restarts != 2 {
			t.Errorf("at 3.5s: input stats %+v, want active running, 3 frames, 30 bytes, 2 restarts", in)
		}
		// The parent hears every change of state, and only changes: waiting
		// at start, error at the first failure, running at the end. (A
		// restarted input that fails at once may never be seen waiting: its
		// failure overtakes its InputStarted in the stream's mailbox.)
		var states []string
		for _, m := range f.probe.Take() {
			sc := m.(*stream.StatusChanged)
			if !sc.Stream.Equal(f.pid) || sc.Name != "cam1" {
				t.Errorf("StatusChanged from %v %q", sc.Stream, sc.Name)
			}
			states = append(states, sc.State)
		}
		if n := len(states); n < 4 || states[0] != stream.StateWaiting || states[1] != stream.StateError || states[n-1] != stream.StateRunning {
			t.Errorf("states announced %v, want waiting, error, ..., running", states)
		}
		for i := 1; i < len(states); i++ {
			if states[i] == states[i-1] {
				t.Errorf("states announced %v: %q twice in a row", states, states[i])
			}
		}
	})
}

func TestUnsupportedSchemeStopsForGood(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		f := spawnStream(t, sys, config.Stream{Name: "cam1", MediaOptions: config.MediaOptions{
			Inputs: []config.Input{{URL: "fake://"}, {URL: "publish://"}},
		}}, input.Builtin())

		time.Sleep(time.Hour)
		synctest.Wait()
		st := f.stats()
		if st.State != stream.StateWaiting || st.Alive {
			t.Errorf("status %q alive %v, want waiting (publish:// waits)", st.State, st.Alive)
		}
		want := stats.Input{State: "error", Failures: 1, LastError: "input fake:// not supported yet"}
		if st.Inputs[0] != want {
			t.Errorf("fake:// input stats %+v, want %+v", st.Inputs[0], want)
		}
		if got := (stats.Input{State: "waiting"}); st.Inputs[1] != got {
			t.Errorf("publish:// input stats %+v, want %+v", st.Inputs[1], got)
		}
		if f.status.Load().Inputs[0].PID != nil {
			t.Errorf("fake:// input actor still listed after its permanent failure")
		}
	})
}

func TestAllInputsFailedIsError(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		f := spawnStream(t, sys, config.Stream{Name: "cam1", MediaOptions: config.MediaOptions{
			Inputs: []config.Input{{URL: "fake://"}},
		}}, input.Builtin())
		if st := f.stats(); st.State != stream.StateError {
			t.Errorf("status %q, want error", st.State)
		}
	})
}

func TestUpdateKeepsTheStreamRunning(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		cfg := config.Stream{Name: "cam1", MediaOptions: config.MediaOptions{
			Inputs: []config.Input{{URL: "publish://"}},
		}}
		f := spawnStream(t, sys, cfg, input.Builtin())
		first := f.status.Load()
		inputPID := first.Inputs[0].PID

		time.Sleep(time.Minute)
		cfg.Title = "Camera one"
		sys.Root.Send(f.pid, &stream.Update{Config: cfg})
		synctest.Wait()
		st := f.status.Load()
		if !st.Started.Equal(first.Started) || !st.Inputs[0].PID.Equal(inputPID) {
			t.Errorf("a title change restarted the stream or its input")
		}
		if lt := st.Stats(time.Now()).Lifetime; lt != time.Minute {
			t.Errorf("lifetime %v, want 1m", lt)
		}

		cfg.Inputs = []config.Input{{URL: "publish://"}, {URL: "publish://?backup"}}
		sys.Root.Send(f.pid, &stream.Update{Config: cfg})
		synctest.Wait()
		st = f.status.Load()
		if !st.Started.Equal(first.Started) {
			t.Errorf("an input change restarted the stream actor")
		}
		if len(st.Inputs) != 2 || st.Inputs[0].PID.Equal(inputPID) {
			t.Errorf("inputs after the change: %+v, want two new input actors", st.Inputs)
		}
		if _, found := sys.ProcessRegistry.Get(inputPID); found {
			t.Errorf("the old input actor %v still exists", inputPID)
		}
		if lt := st.Stats(time.Now()).Lifetime; lt != time.Minute {
			t.Errorf("lifetime %v, want 1m", lt)
		}
	})
}

func TestHigherPriorityInputTakesOver(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		primary := &scriptPuller{failures: 1, err: errors.New("refused")}
		backup := &scriptPuller{}
		prio := func(p int) *int { return &p }
		f := spawnStream(t, sys, config.Stream{Name: "cam1", MediaOptions: config.MediaOptions{
			Inputs: []config.Input{{URL: "backup://", Priority: prio(2)}, {URL: "primary://", Priority: prio(1)}},
		}}, input.Pullers{"primary": primary, "backup": backup})

		if got := f.stats().Active; got != 0 {
			t.Fatalf("active input %d, want 0 (the backup, while the primary backs off)", got)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		st := f.stats()
		if st.Active != 1 || st.Inputs[0].State != stream.InputWaiting || st.Inputs[1].State != stream.InputRunning {
			t.Errorf("after the primary's restart: active %d, inputs %+v; want the primary running", st.Active, st.Inputs)
		}
	})
}
