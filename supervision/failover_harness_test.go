package supervision

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// t0 is the start of every scenario; times in tests are offsets from it.
var t0 = time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

// change is one change of the active input, as a scenario records it.
type change struct {
	at     time.Duration
	active int
	cause  Cause
}

func (c change) String() string { return fmt.Sprintf("%v→%d(%v)", c.at, c.active, c.cause) }

// harness drives a Failover through a scenario, acting as the stream actor
// would (ticking at NextCheck), records the switches and checks the
// policy's invariants after every step.
type harness struct {
	t       *testing.T
	p       *Failover
	d       FailoverDecision
	changes []change
	pos     time.Duration // run has fed the events up to here
}

func newHarness(t *testing.T, cfg FailoverConfig) *harness {
	t.Helper()
	p := NewFailover(cfg, t0)
	h := &harness{t: t, p: p, d: p.Current(), pos: -1}
	h.check()
	return h
}

// step feeds one event at offset d.
func (h *harness) step(d time.Duration, kind EventKind, input int) FailoverDecision {
	h.t.Helper()
	return h.event(Event{At: at(d), Kind: kind, Input: input})
}

func (h *harness) event(e Event) FailoverDecision {
	h.t.Helper()
	h.d = h.p.Step(e)
	h.record(e.At)
	return h.d
}

func (h *harness) record(when time.Time) {
	h.t.Helper()
	if h.d.Changed {
		h.changes = append(h.changes, change{at: when.Sub(t0), active: h.d.Active, cause: h.d.Cause})
	}
	h.check()
}

// check asserts what must hold after every step.
func (h *harness) check() {
	h.t.Helper()
	if err := checkInvariants(h.p, h.d); err != nil {
		h.t.Fatalf("at %v: %v", h.p.now.Sub(t0), err)
	}
}

// checkInvariants returns what is wrong with the policy's state and
// decision, if anything.
func checkInvariants(p *Failover, d FailoverDecision) error {
	st := p.Status()
	failed := func(i int) bool { return i >= 0 && st.Inputs[i].State == HealthFailed }
	switch {
	case failed(d.Active):
		return fmt.Errorf("active input %d has failed: %+v", d.Active, st.Inputs[d.Active])
	case failed(d.Next):
		return fmt.Errorf("next input %d has failed", d.Next)
	case failed(st.Pinned):
		return fmt.Errorf("pinned input %d has failed", st.Pinned)
	case d.Active >= 0 && d.Active == d.Next:
		return fmt.Errorf("next is the active input %d", d.Active)
	case d.Active != st.Active || d.Next != st.Next:
		return fmt.Errorf("decision %d/%d disagrees with status %d/%d", d.Active, d.Next, st.Active, st.Next)
	case !d.NextCheck.IsZero() && !d.NextCheck.After(p.now):
		return fmt.Errorf("NextCheck %v is not after now", d.NextCheck.Sub(t0))
	case !slices.IsSorted(d.Connect):
		return fmt.Errorf("Connect %v is not sorted", d.Connect)
	}
	for _, i := range [...]int{d.Active, d.Next, st.Pinned} {
		if i >= 0 && !slices.Contains(d.Connect, i) {
			return fmt.Errorf("input %d is active, next or pinned but not in Connect %v", i, d.Connect)
		}
	}
	for i, in := range p.cfg.Inputs {
		if in.Standby && !slices.Contains(d.Connect, i) {
			return fmt.Errorf("standby input %d is not in Connect %v", i, d.Connect)
		}
	}
	return nil
}

// feed is a source delivering frames: EventConnected at from (unless
// noConnect), then a frame report every `every` until to, with a keyframe
// at from+keyAt and every gop after it.
type feed struct {
	input      int
	from, to   time.Duration
	every      time.Duration // 0 means 250ms
	keyAt, gop time.Duration // 0 means 500ms and 2s
	noConnect  bool
}

// events returns the feed's events in time order.
func (f feed) events() []Event {
	every, keyAt, gop := cmpOr(f.every, 250*time.Millisecond), cmpOr(f.keyAt, 500*time.Millisecond), cmpOr(f.gop, 2*time.Second)
	var out []Event
	if !f.noConnect {
		out = append(out, Event{At: at(f.from), Kind: EventConnected, Input: f.input})
	}
	nextKey := f.from + keyAt
	for d := f.from + every; d < f.to; d += every {
		kind := EventFrames
		if d >= nextKey {
			kind = EventKeyframe
			for nextKey <= d {
				nextKey += gop
			}
		}
		out = append(out, Event{At: at(d), Kind: kind, Input: f.input})
	}
	return out
}

func cmpOr(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// run merges the feeds' events (and extra events) in time order and steps
// through those after the previous run and up to until, ticking at every
// NextCheck as the actor would. Call it again with the same feeds to go on.
func (h *harness) run(until time.Duration, feeds []feed, extra ...Event) {
	h.t.Helper()
	events := slices.Clone(extra)
	for _, f := range feeds {
		events = append(events, f.events()...)
	}
	slices.SortStableFunc(events, func(a, b Event) int { return a.At.Compare(b.At) })
	from, end := at(h.pos), at(until)
	for _, e := range events {
		if !e.At.After(from) {
			continue
		}
		if e.At.After(end) {
			break
		}
		h.tickUntil(e.At)
		h.event(e)
	}
	h.tickUntil(end)
	h.event(Event{At: end, Kind: EventTick})
	h.pos = until
}

// tickUntil sends the ticks the actor would send before t.
func (h *harness) tickUntil(t time.Time) {
	h.t.Helper()
	for !h.d.NextCheck.IsZero() && h.d.NextCheck.Before(t) {
		h.event(Event{At: h.d.NextCheck, Kind: EventTick})
	}
}

// wantChanges compares the recorded switches with want.
func (h *harness) wantChanges(want ...change) {
	h.t.Helper()
	if !slices.Equal(h.changes, want) {
		h.t.Errorf("changes of the active input:\n got  %v\n want %v\n(last reason %q)",
			h.changes, want, h.d.Reason)
	}
}

func intp(v int) *int { return &v }
