package supervision

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// TestFailoverSelect walks through manual selection: a pinned input takes
// over at its keyframe and stays while a better one delivers, Release lets
// the priorities apply again, and a pin ends when its input fails.
func TestFailoverSelect(t *testing.T) {
	cfg := FailoverConfig{Inputs: []FailoverInput{{}, {}, {Backup: true}}}
	feeds := []feed{
		{input: 0, from: 0, to: 50 * s}, // keyframes at 0.5 s + 2 s k
		{input: 1, from: 5500 * ms, to: 60 * s, keyAt: 1 * s},
		{input: 2, from: 30500 * ms, to: 40 * s, keyAt: 1 * s},
	}
	h := newHarness(t, cfg)
	h.run(5*s, feeds)

	// Select an on-demand input: it is connected, and takes over at its
	// first keyframe (6.5 s), not at its first frames.
	d, err := h.p.Select(1, at(5*s))
	h.d = d
	if err != nil || d.Next != 1 || d.Active != 0 || !slices.Equal(d.Connect, []int{0, 1}) {
		t.Fatalf("Select(1) = %+v, %v; want next 1, still active 0, connect [0 1]", d, err)
	}
	h.run(6400*ms, feeds)
	if h.d.Active != 0 {
		t.Fatalf("before the selected input's keyframe: active %d, want 0", h.d.Active)
	}
	// The primary's keyframes from 6.5 s on do not bring it back: the
	// pin holds.
	h.run(20*s, feeds)
	h.wantChanges(change{500 * ms, 0, CauseStart}, change{6500 * ms, 1, CauseSelect})
	if st := h.p.Status(); st.Pinned != 1 {
		t.Errorf("Pinned = %d, want 1", st.Pinned)
	}

	// Release: the primary, which has never failed, returns at its next
	// keyframe (20.5 s) and the on-demand input is let go.
	h.d = h.p.Release(at(20 * s))
	h.record(at(20 * s))
	if h.d.Next != 0 {
		t.Errorf("after Release: next %d, want 0", h.d.Next)
	}
	h.run(21*s, feeds)
	if h.d.Active != 0 || h.d.Cause != CauseReturn || !slices.Equal(h.d.Connect, []int{0}) {
		t.Errorf("after Release: %+v, want the primary back and only it connected", h.d)
	}

	h.run(30*s, feeds)
	// Pin the backup fake: the decision says it is a backup (no DVR). When
	// it dies the pin ends and the primary takes over at its keyframe.
	h.d, err = h.p.Select(2, at(30*s))
	h.record(at(30 * s))
	if err != nil {
		t.Fatal(err)
	}
	h.run(32*s, feeds)
	if h.d.Active != 2 || !h.d.Backup || h.d.Cause != CauseSelect {
		t.Errorf("Select(2): %+v, want the backup input 2 active", h.d)
	}
	h.run(41*s, feeds, Event{At: at(40 * s), Kind: EventDead, Input: 2})
	if st := h.p.Status(); st.Pinned != -1 || st.Active != 0 || st.Backup || st.Cause != CauseFailover {
		t.Errorf("after the pinned input died: %+v, want no pin, input 0 active by failover", st)
	}
	h.wantChanges(
		change{500 * ms, 0, CauseStart}, change{6500 * ms, 1, CauseSelect},
		change{20500 * ms, 0, CauseReturn}, change{31500 * ms, 2, CauseSelect},
		change{40 * s, -1, CauseFailed}, change{40500 * ms, 0, CauseFailover},
	)

	// Errors: no such input, and a failed one.
	if _, err := h.p.Select(7, at(41*s)); !errors.Is(err, ErrNoInput) {
		t.Errorf("Select(7) error %v, want ErrNoInput", err)
	}
	h.run(51*s, feeds, Event{At: at(50 * s), Kind: EventDead, Input: 0})
	if _, err := h.p.Select(0, at(51*s)); !errors.Is(err, ErrInputFailed) {
		t.Errorf("Select(failed 0) error %v, want ErrInputFailed", err)
	}
	if st := h.p.Status(); st.Switches != 5 {
		t.Errorf("Switches = %d, want 5", st.Switches)
	}
}

// TestFailoverSelectNeverConnects: a pin on an input that does not connect
// ends after the source timeout, and the active input stays.
func TestFailoverSelectNeverConnects(t *testing.T) {
	h := newHarness(t, FailoverConfig{Inputs: []FailoverInput{{}, {}}})
	feeds := []feed{{input: 0, from: 0, to: 20 * s}}
	h.run(2*s, feeds)
	var err error
	h.d, err = h.p.Select(1, at(2*s))
	if err != nil {
		t.Fatal(err)
	}
	if !h.d.NextCheck.Equal(at(5 * s)) {
		t.Errorf("NextCheck = %v, want 5s: the selected input's connect deadline", h.d.NextCheck.Sub(t0))
	}
	h.run(10*s, feeds)
	st := h.p.Status()
	if st.Pinned != -1 || st.Active != 0 || st.Inputs[1].State != HealthIdle || st.Inputs[1].Failures != 1 {
		t.Errorf("status %+v, input 1 %+v: want the pin gone, input 0 active, input 1 let go after one failure",
			st, st.Inputs[1])
	}
	h.wantChanges(change{500 * ms, 0, CauseStart})
}

// TestFailoverSelectActive: pinning the active backup keeps it while the
// primary returns steadily; Release lets the primary back at a keyframe.
func TestFailoverSelectActive(t *testing.T) {
	h := newHarness(t, FailoverConfig{Inputs: []FailoverInput{{}, {Standby: true}}})
	feeds := []feed{
		{input: 0, from: 0, to: 10 * s},
		{input: 0, from: 20 * s, to: 90 * s},
		{input: 1, from: 0, to: 90 * s, keyAt: 1 * s},
	}
	h.run(15*s, feeds)
	var err error
	if h.d, err = h.p.Select(1, at(15*s)); err != nil || h.d.Next != -1 {
		t.Fatalf("Select(active) = %+v, %v; want nothing pending", h.d, err)
	}
	h.run(60*s, feeds)
	h.d = h.p.Release(at(60 * s))
	h.record(at(60 * s))
	h.run(90*s, feeds)
	h.wantChanges(
		change{500 * ms, 0, CauseStart}, change{12750 * ms, -1, CauseFailed},
		change{13 * s, 1, CauseFailover}, change{60500 * ms, 0, CauseReturn},
	)
	// Steady since 20.25 s: its first frame after reconnecting at 20 s.
	if want := "input 0 returned at its keyframe after delivering steadily for 40.25s"; h.p.Status().Reason != want {
		t.Errorf("Reason = %q, want %q", h.p.Status().Reason, want)
	}
}

// TestFailoverNextCheck checks the deadlines the actor is told to wake up
// at.
func TestFailoverNextCheck(t *testing.T) {
	h := newHarness(t, FailoverConfig{Inputs: []FailoverInput{{}, {Standby: true, SourceTimeout: 10 * s}}})
	steps := []struct {
		at    time.Duration
		kind  EventKind
		input int
		want  time.Duration
	}{
		{0, EventTick, 0, 3 * s},                   // input 0 must connect by 3 s
		{1 * s, EventConnected, 0, 4 * s},          // and deliver by 4 s
		{1 * s, EventConnected, 1, 4 * s},          // input 1 has 10 s: 11 s
		{2 * s, EventKeyframe, 0, 5 * s},           // active; silent from 5 s
		{2 * s, EventKeyframe, 1, 5 * s},           // input 1 silent from 12 s
		{4900 * ms, EventFrames, 0, 7900 * ms},     // delivery moves it on
		{4900 * ms, EventDead, 0, 12 * s},          // dead: only input 1's remains
		{5 * s, EventKeyframe, 1, 15 * s},          // input 1 active
		{6 * s, EventConnected, 0, 9 * s},          // primary back: must deliver by 9 s
		{7 * s, EventFrames, 0, 10 * s},            // silent from 10 s
		{9 * s, EventFrames, 0, 12 * s},            // steady since 7 s, due 17 s
		{11 * s, EventFrames, 0, 14 * s},           // steady: pauses of 2 s at most
		{13 * s, EventFrames, 0, 15 * s},           // input 1's silence at 15 s
		{14 * s, EventKeyframe, 1, 16 * s},         // primary silent from 16 s
		{15 * s, EventFrames, 0, 17 * s},           // its return is due at 17 s
		{17 * s, EventFrames, 0, 20 * s},           // due: Next 0, silence at 20 s
		{17500 * ms, EventKeyframe, 0, 20500 * ms}, // returned
	}
	for _, st := range steps {
		h.step(st.at, st.kind, st.input)
		if got := h.d.NextCheck.Sub(t0); got != st.want {
			t.Errorf("after %v %v of input %d: NextCheck %v, want %v", st.at, st.kind, st.input, got, st.want)
		}
	}
	h.wantChanges(change{2 * s, 0, CauseStart}, change{4900 * ms, -1, CauseFailed},
		change{5 * s, 1, CauseFailover}, change{17500 * ms, 0, CauseReturn})
}
