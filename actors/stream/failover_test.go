package stream_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/input"
	"streamhive/actors/kit"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/supervision"
)

const frameDur = 40 * time.Millisecond

// livePuller publishes one video track and writes a frame every 40 ms, a
// keyframe every gop frames (the first at frame phase), with DTS from
// base, each carrying its tag. While paused the source's clock runs on
// but nothing is written; an error sent on fail ends the pull with it.
type livePuller struct {
	tag, gop, phase int
	base            time.Duration
	paused          atomic.Bool
	fail            chan error
}

func newLive(tag, phase int, base time.Duration) *livePuller {
	return &livePuller{tag: tag, gop: 25, phase: phase, base: base, fail: make(chan error, 1)}
}

func (p *livePuller) Pull(ctx context.Context, _ string, _ map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	sink, err := publish([]media.Track{{Codec: media.CodecH264, Width: 640, Height: 360}})
	if err != nil {
		return err
	}
	tk := time.NewTicker(frameDur)
	defer tk.Stop()
	for n := 0; ; n++ {
		select {
		case <-ctx.Done():
			return nil
		case err := <-p.fail:
			return err
		case <-tk.C:
		}
		if p.paused.Load() {
			continue
		}
		dts := p.base + time.Duration(n)*frameDur
		sink.WriteFrame(&media.Frame{
			DTS: dts, PTS: dts, Keyframe: n%p.gop == p.phase,
			Data: [][]byte{{byte(p.tag)}},
		})
	}
}

// output collects the frames leaving the stream's hub.
type output struct {
	mu     sync.Mutex
	frames []media.Frame
}

func watch(t *testing.T, f fixture) *output {
	t.Helper()
	c, err := f.status.Load().Playback.Subscribe()
	if err != nil {
		t.Fatal(err)
	}
	o := new(output)
	go func() {
		for {
			select {
			case d := <-c.C():
				o.mu.Lock()
				o.frames = append(o.frames, *d.Frame)
				o.mu.Unlock()
			case <-c.Done():
				return
			}
		}
	}()
	t.Cleanup(c.Close)
	return o
}

// check verifies that output DTS rises by one frame duration at every step
// (across switches too) and that each run of one input starts at a
// keyframe; it returns the tags in the order their runs appeared.
func (o *output) check(t *testing.T) []int {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	var runs []int
	for i, fr := range o.frames {
		tag := int(fr.Data[0][0])
		if i == 0 || tag != int(o.frames[i-1].Data[0][0]) {
			runs = append(runs, tag)
			if !fr.Keyframe {
				t.Errorf("frame %d: input %d's first frame is not a keyframe", i, tag)
			}
		}
		if i > 0 {
			if d := fr.DTS - o.frames[i-1].DTS; d != frameDur {
				t.Errorf("frame %d (input %d): DTS step %v, want %v", i, tag, d, frameDur)
			}
		}
	}
	return runs
}

func twoInputs(t *testing.T, sys *actor.ActorSystem, primary, backup *livePuller) fixture {
	t.Helper()
	f := spawnStream(t, sys, config.Stream{Name: "cam1", MediaOptions: config.MediaOptions{
		Inputs: []config.Input{{URL: "primary://"}, {URL: "backup://", Backup: true}},
	}}, input.Pullers{"primary": primary, "backup": backup})
	return f
}

func wait(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}

func TestSilentPrimaryFailsOverAndReturns(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		primary, backup := newLive(1, 0, 0), newLive(2, 10, 500*time.Second)
		f := twoInputs(t, sys, primary, backup)
		out := watch(t, f)

		wait(2 * time.Second)
		if st := f.stats(); st.Active != 0 || st.Switches != 0 {
			t.Fatalf("at 2s: active %d switches %d, want 0 0", st.Active, st.Switches)
		}
		primary.paused.Store(true)
		wait(3 * time.Second) // within source_timeout (3 s, sampled every second)
		if st := f.stats(); st.Active != 0 {
			t.Fatalf("at 5s: active %d, want still 0 within source_timeout", st.Active)
		}
		wait(2100 * time.Millisecond) // timeout declared by 6 s, backup keyframe within 1 s
		st := f.stats()
		if st.Active != 1 || st.Switches != 1 || !strings.Contains(st.SwitchReason, "input 1 took over") {
			t.Fatalf("at 7.1s: active %d switches %d reason %q, want the backup after 1 switch",
				st.Active, st.Switches, st.SwitchReason)
		}
		if st.Inputs[1].State != stream.InputRunning || !st.Alive {
			t.Errorf("inputs %+v, want input 1 running and active", st.Inputs)
		}

		primary.paused.Store(false)
		wait(9 * time.Second) // return_after is 10 s of steady delivery
		if st := f.stats(); st.Active != 1 {
			t.Fatalf("9s after the primary came back: active %d, want 1", st.Active)
		}
		wait(3 * time.Second)
		st = f.stats()
		if st.Active != 0 || st.Switches != 2 || !strings.Contains(st.SwitchReason, "returned") {
			t.Fatalf("12s after: active %d switches %d reason %q, want the primary back", st.Active,
				st.Switches, st.SwitchReason)
		}
		if runs := out.check(t); len(runs) != 3 || runs[0] != 1 || runs[1] != 2 || runs[2] != 1 {
			t.Errorf("output runs by input %v, want [1 2 1]", runs)
		}
	})
}

func TestDeadPrimaryFailsOverAtOnce(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		primary, backup := newLive(1, 0, 0), newLive(2, 10, 500*time.Second)
		f := twoInputs(t, sys, primary, backup)
		out := watch(t, f)

		wait(2 * time.Second)
		primary.fail <- errors.New("connection reset")
		wait(1050 * time.Millisecond) // the backup's next keyframe, at most one GOP later
		st := f.stats()
		if st.Active != 1 || st.Switches != 1 {
			t.Fatalf("1 GOP after the primary died: active %d switches %d, want 1 1", st.Active, st.Switches)
		}
		if st.Inputs[0].LastError != "connection reset" {
			t.Errorf("primary last_error %q", st.Inputs[0].LastError)
		}
		wait(2 * time.Second) // the primary restarted after 1 s: it must deliver 10 s before it returns
		if st := f.stats(); st.Active != 1 {
			t.Errorf("the restarted primary took over at once: active %d", st.Active)
		}
		if runs := out.check(t); len(runs) != 2 || runs[0] != 1 || runs[1] != 2 {
			t.Errorf("output runs by input %v, want [1 2]", runs)
		}
	})
}

func TestSelectInputByHand(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		primary, backup := newLive(1, 0, 0), newLive(2, 10, 500*time.Second)
		f := twoInputs(t, sys, primary, backup)
		out := watch(t, f)
		wait(2 * time.Second)

		sel := func(i int) error {
			rep, err := kit.Ask[*stream.SelectInputReply](context.Background(), sys.Root, f.pid, &stream.SelectInput{Index: i})
			if err != nil {
				t.Fatal(err)
			}
			return rep.Err
		}
		if err := sel(5); !errors.Is(err, supervision.ErrNoInput) {
			t.Errorf("select 5: %v, want ErrNoInput", err)
		}
		if err := sel(1); err != nil {
			t.Fatalf("select 1: %v", err)
		}
		wait(1050 * time.Millisecond)
		st := f.stats()
		if st.Active != 1 || !strings.Contains(st.SwitchReason, "selected by hand") {
			t.Fatalf("after select: active %d reason %q", st.Active, st.SwitchReason)
		}
		wait(30 * time.Second) // the pin holds although the primary is healthy
		if st := f.stats(); st.Active != 1 {
			t.Errorf("30s after select: active %d, want 1", st.Active)
		}
		if runs := out.check(t); len(runs) != 2 || runs[1] != 2 {
			t.Errorf("output runs by input %v, want [1 2]", runs)
		}
	})
}
