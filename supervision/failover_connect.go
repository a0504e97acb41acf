package supervision

import "time"

// wantSet returns, by input index, the inputs to keep connected. Walking
// down the priority order: a failed input is kept (its restarts probe it
// in the background) and the walk goes on; the first one delivering frames
// is kept and ends the walk; one connecting or connected without frames
// yet is kept and the walk goes on past it; an idle one is started only if
// no input above it is still connecting, so on-demand inputs start one at
// a time. The active, next and pinned inputs and every standby input are
// kept whatever their place.
func (p *Failover) wantSet() []bool {
	want := make([]bool, len(p.in))
	pending := false
walk:
	for _, i := range p.order {
		switch s := &p.in[i]; {
		case !s.ok():
			want[i] = true
		case s.link == linkLive:
			want[i] = true
			break walk
		case s.link == linkConnected || s.wanted:
			want[i], pending = true, true
		case !pending:
			want[i], pending = true, true
		}
	}
	for i, in := range p.cfg.Inputs {
		if in.Standby {
			want[i] = true
		}
	}
	for _, i := range [...]int{p.active, p.next, p.pinned} {
		if i >= 0 {
			want[i] = true
		}
	}
	return want
}

// nextCheck is the earliest time after now at which time alone changes
// something: an input's silence deadline, its recovery from errors, or a
// better input's return becoming due. Zero when there is none.
func (p *Failover) nextCheck(now time.Time) time.Time {
	var t time.Time
	consider := func(at time.Time) {
		if at.After(now) && (t.IsZero() || at.Before(t)) {
			t = at
		}
	}
	for i := range p.in {
		consider(p.in[i].silenceDeadline(p.cfg.timeout(i)))
		consider(p.in[i].recoverAt(&p.icfg[i]))
	}
	if p.active < 0 || p.pinned >= 0 {
		return t
	}
	for _, i := range p.order[:p.rank[p.active]] {
		s := &p.in[i]
		if at, ok := s.steadyAt(now, &p.icfg[i]); ok {
			consider(at)
		}
		if len(s.flaps) > 0 { // an old flap leaving the window shortens the delay
			consider(s.flaps[0].Add(p.cfg.FlapWindow))
		}
	}
	return t
}
