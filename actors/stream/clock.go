package stream

import (
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// failoverClock is the stream's one-shot failover timer (time.AfterFunc
// with a generation, not ctx.SetReceiveTimeout, which races under -race).
// It belongs to the stream actor.
type failoverClock struct {
	gen   uint64
	timer *time.Timer
}

// set re-arms the timer to fire after d; a negative d leaves it stopped.
func (c *failoverClock) set(root *actor.RootContext, self *actor.PID, d time.Duration) {
	c.stop()
	if d < 0 || root == nil {
		return
	}
	gen := c.gen
	c.timer = time.AfterFunc(d, func() { root.Send(self, &failoverTick{gen: gen}) })
}

// current reports whether m is from the timer last set.
func (c *failoverClock) current(m *failoverTick) bool {
	return c.timer != nil && m.gen == c.gen
}

func (c *failoverClock) stop() {
	if c.timer != nil {
		c.timer.Stop()
		c.timer = nil
	}
	c.gen++
}
