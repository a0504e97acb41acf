package supervision

import (
	"fmt"
	"time"
)

// Failover is one stream's failover policy (see the rules at the top of
// failover.go). It belongs to the stream actor: not safe for concurrent
// use. Every method is deterministic in its arguments and the events
// before; none reads the clock.
type Failover struct {
	cfg   FailoverConfig   // defaults applied
	icfg  []FailoverConfig // icfg[i]: cfg with input i's overrides (forInput)
	in    []inputState     // configuration order
	order []int            // input indexes, best first
	rank  []int            // rank[i] is input i's position in order
	now   time.Time        // the latest event's time

	active, next, pinned int
	last                 int // the input that fed the hub last, -1 before any
	switches             int
	cause                Cause
	reason               string
	changedAt            time.Time
}

// NewFailover returns the policy for a stream starting at now, with
// nothing active yet. Current tells which inputs to connect first.
func NewFailover(cfg FailoverConfig, now time.Time) *Failover {
	p := &Failover{cfg: cfg.withDefaults(), now: now, active: -1, next: -1, pinned: -1, last: -1}
	p.in = make([]inputState, len(cfg.Inputs))
	p.icfg = make([]FailoverConfig, len(cfg.Inputs))
	for i := range p.icfg {
		p.icfg[i] = p.cfg.forInput(i)
	}
	p.order = Order(p.cfg.Inputs)
	p.rank = make([]int, len(p.order))
	for r, i := range p.order {
		p.rank[i] = r
	}
	p.settle(now, -1)
	return p
}

// Current returns the decision as of the last event, with Changed false.
func (p *Failover) Current() FailoverDecision { return p.decision(p.active) }

// Step feeds one event and returns the decision after it. An event for an
// input index out of range only lets time pass.
func (p *Failover) Step(e Event) FailoverDecision {
	now, before := p.advance(e.At), p.active
	valid := e.Kind != EventTick && p.valid(e.Input)
	if valid {
		p.observe(e, now)
	}
	p.evaluate(now)
	if valid && e.Kind == EventKeyframe && p.mayTake(e.Input, now) {
		p.take(e.Input, now)
	}
	return p.settle(now, before)
}

// Select pins input i (POST /streams/{name}/inputs/{index}/select): it
// takes over at its next keyframe, connecting it first if need be, and
// stays active until it fails or Release. Selecting the active input
// keeps it whatever happens to the others. A failed input cannot be
// selected (ErrInputFailed).
func (p *Failover) Select(i int, at time.Time) (FailoverDecision, error) {
	now, before := p.advance(at), p.active
	p.evaluate(now)
	switch {
	case !p.valid(i):
		return p.settle(now, before), fmt.Errorf("%w: %d", ErrNoInput, i)
	case !p.in[i].ok():
		return p.settle(now, before), fmt.Errorf("%w: input %d: %s", ErrInputFailed, i, p.in[i].reason)
	}
	p.pinned = i
	return p.settle(now, before), nil
}

// Release unpins the selected input, if any: the priority rules apply
// again (a better input returns at its keyframe once it is due).
func (p *Failover) Release(at time.Time) FailoverDecision {
	now, before := p.advance(at), p.active
	p.evaluate(now)
	p.pinned = -1
	return p.settle(now, before)
}

func (p *Failover) valid(i int) bool { return i >= 0 && i < len(p.in) }

// advance moves the policy's clock to at, never backwards.
func (p *Failover) advance(at time.Time) time.Time {
	if at.After(p.now) {
		p.now = at
	}
	return p.now
}

// observe applies one input event to that input's state.
func (p *Failover) observe(e Event, now time.Time) {
	s := &p.in[e.Input]
	switch e.Kind {
	case EventConnected:
		s.connected(now)
	case EventFrames, EventKeyframe:
		s.frames(now, p.cfg.SteadyGap)
	case EventErrors:
		s.addErrors(now, e.Count, &p.icfg[e.Input])
	case EventDead:
		s.dead(now, e.Why, &p.icfg[e.Input])
	case EventTick:
	}
}

// evaluate applies the passage of time to every input, then drops a
// pinned or active input that has failed.
func (p *Failover) evaluate(now time.Time) {
	for i := range p.in {
		p.in[i].check(now, p.cfg.timeout(i), &p.icfg[i])
	}
	if p.pinned >= 0 && !p.in[p.pinned].ok() {
		p.pinned = -1 // a pin lasts until the input fails
	}
	if a := p.active; a >= 0 && !p.in[a].ok() {
		p.active, p.cause, p.changedAt = -1, CauseFailed, now
		p.reason = fmt.Sprintf("input %d failed: %s", a, p.in[a].reason)
	}
}

// mayTake reports whether a keyframe from input k makes it active now.
func (p *Failover) mayTake(k int, now time.Time) bool {
	switch {
	case !p.in[k].ok() || k == p.active:
		return false
	case p.pinned >= 0:
		return k == p.pinned
	case p.active >= 0:
		return k == p.chooseNext(now)
	default:
		return true // any healthy source beats a black screen
	}
}

// take makes input k active; the caller has checked mayTake.
func (p *Failover) take(k int, now time.Time) {
	switch {
	case k == p.pinned:
		p.cause, p.reason = CauseSelect, fmt.Sprintf("input %d took over at its keyframe: selected by hand", k)
	case p.active >= 0 && p.in[k].everFlaps:
		p.cause, p.reason = CauseReturn, fmt.Sprintf("input %d returned at its keyframe after delivering steadily for %v",
			k, now.Sub(p.in[k].steadySince).Round(time.Millisecond))
	case p.active >= 0:
		p.cause, p.reason = CauseReturn, fmt.Sprintf("input %d outranks input %d and took over at its keyframe", k, p.active)
	case p.last < 0:
		p.cause, p.reason = CauseStart, fmt.Sprintf("input %d took over at its first keyframe", k)
	default:
		p.cause, p.reason = CauseFailover, fmt.Sprintf(
			"input %d took over at its keyframe after input %d failed: %s", k, p.last, p.in[p.last].reason)
	}
	if p.last >= 0 && p.last != k {
		p.switches++
	}
	p.active, p.last, p.changedAt = k, k, now
}

// chooseNext returns the input to switch to at its next keyframe, -1 for
// none: the pinned one; else, above the active input, the best one whose
// return is due; else, with nothing active, the best healthy input
// delivering frames, or the best connected one.
func (p *Failover) chooseNext(now time.Time) int {
	switch {
	case p.pinned >= 0 && p.pinned == p.active:
		return -1
	case p.pinned >= 0:
		return p.pinned
	case p.active >= 0:
		for _, i := range p.order[:p.rank[p.active]] {
			if at, ok := p.in[i].steadyAt(now, &p.icfg[i]); ok && !now.Before(at) {
				return i
			}
		}
		return -1
	}
	best := -1
	for _, i := range p.order {
		switch s := &p.in[i]; {
		case !s.ok():
		case s.link == linkLive:
			return i
		case s.link == linkConnected && best < 0:
			best = i
		}
	}
	return best
}

// settle recomputes Next and the connect set after a change and returns
// the decision.
func (p *Failover) settle(now time.Time, before int) FailoverDecision {
	p.next = p.chooseNext(now)
	want := p.wantSet()
	for i := range p.in {
		switch s := &p.in[i]; {
		case want[i] && !s.wanted:
			s.wanted = true
			if s.link == linkDown {
				s.askedAt = now
			}
		case !want[i] && s.wanted:
			s.leave()
		}
	}
	return p.decision(before)
}

// decision describes the current state; before is the active input before
// the event, for Changed.
func (p *Failover) decision(before int) FailoverDecision {
	d := FailoverDecision{
		Active: p.active, Changed: p.active != before, Cause: p.cause, Reason: p.reason,
		Next: p.next, NextCheck: p.nextCheck(p.now),
	}
	if p.active >= 0 {
		d.Backup = p.cfg.Inputs[p.active].Backup
	}
	for i := range p.in {
		if p.in[i].wanted {
			d.Connect = append(d.Connect, i)
		}
	}
	return d
}
