package stream

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// tickInterval is how often the stream samples its counters for the
// bitrates and frame rates of its Status.
const tickInterval = time.Second

// tick is sent by the stream's own timer; gen tells a stale one (from a
// stopped ticker) from the current.
type tick struct{ gen int }

// IgnoreDeadLetterLogging implements actor.IgnoreDeadLetterLogging: a tick
// that fires while its stream stops is expected.
func (*tick) IgnoreDeadLetterLogging() {}

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
	if !a.tick.current(m) {
		return
	}
	next := a.rates.sample(time.Now(), a.media.hub.Stats().Bytes, a.media.meter, a.inputs.slots, a.active >= 0)
	if a.active < 0 && next.equal(measured{}) {
		a.tick.stop() // nothing feeds the stream and every rate is down to 0
	}
	if next.equal(a.measured) {
		return
	}
	a.measured = next
	a.changed(false)
}
