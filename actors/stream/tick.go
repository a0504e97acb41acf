package stream

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/media"
	"streamhive/media/meter"
)

// tickInterval is how often the stream samples its counters for the
// bitrates and frame rates of its Status.
const tickInterval = time.Second

// rateSampler is the stream's side of its rates: the sampler (package
// media/meter), its last result and the timer that drives it. It belongs
// to the stream actor.
type rateSampler struct {
	rates    meter.Rates
	measured meter.Measured
	tick     ticker
}

// ticker is the stream's own timer (not ctx.SetReceiveTimeout, which races
// under -race). It belongs to the stream actor.
type ticker struct {
	gen   int
	timer *time.Timer
	root  *actor.RootContext
	self  *actor.PID
}

// start arms the timer unless it runs.
func (t *ticker) start(root *actor.RootContext, self *actor.PID) {
	if t.timer != nil {
		return
	}
	t.root, t.self = root, self
	t.arm()
}

func (t *ticker) arm() {
	t.gen++
	gen, root, self := t.gen, t.root, t.self
	t.timer = time.AfterFunc(tickInterval, func() { root.Send(self, &tick{gen: gen}) })
}

// current reports whether m is from the running timer; if so it re-arms.
func (t *ticker) current(m *tick) bool {
	if t.timer == nil || m.gen != t.gen {
		return false
	}
	t.arm()
	return true
}

func (t *ticker) stop() {
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
	t.gen++
}

// onTick samples the counters and publishes the rates. The ticker runs
// from the first grant until nothing feeds the stream and the rates have
// fallen to 0, so idle streams cost no timer.
func (a *streamActor) onTick(m *tick) {
	s := &a.sampler
	if !s.tick.current(m) {
		return
	}
	inputs := make([]*media.InputStats, len(a.inputs.slots))
	for i, in := range a.inputs.slots {
		inputs[i] = in.status.Stats
	}
	next := s.rates.Sample(time.Now(), a.media.Hub().Stats().Bytes, a.media.Meter(), inputs, a.active >= 0)
	if a.active < 0 && next.Equal(meter.Measured{}) {
		s.tick.stop() // nothing feeds the stream and every rate is down to 0
	}
	if next.Equal(s.measured) {
		return
	}
	s.measured = next
	a.changed(false)
}
