package stream

import (
	"github.com/asynkron/protoactor-go/actor"

	"streamhive/media/feed"
)

// The messages the stream sends itself: its timers', its feed's and its
// deferred input sync. None leaves the package (protocol.go holds the
// public ones). Each may arrive after its stream has stopped, so none is
// logged as a dead letter.

// private marks the stream's messages to itself; Receive hands them to
// onPrivate.
type private interface{ private() }

// tick is sent by the stream's rate timer (tick.go); gen tells a stale
// one (from a stopped ticker) from the current.
type tick struct{ gen int }

// failoverTick is sent by the stream's failover clock (clock.go); gen
// tells a stale one from the current.
type failoverTick struct{ gen uint64 }

// keyframeSeen is sent by the feed, once per arming, for a sink that took
// the hub over at its keyframe.
type keyframeSeen struct {
	sink *feed.Sink
	arm  uint64
}

// syncInputs asks the stream to start and stop its input children as the
// policy's Connect set says (inputs on demand). HandleFailure and the
// timers have no actor.Context to spawn with, so the stream sends it to
// itself.
type syncInputs struct{}

func (*tick) private()         {}
func (*failoverTick) private() {}
func (*keyframeSeen) private() {}
func (*syncInputs) private()   {}

func (*tick) IgnoreDeadLetterLogging()         {}
func (*failoverTick) IgnoreDeadLetterLogging() {}
func (*keyframeSeen) IgnoreDeadLetterLogging() {}
func (*syncInputs) IgnoreDeadLetterLogging()   {}

// onPrivate handles a message the stream sent itself.
func (a *streamActor) onPrivate(ctx actor.Context, m private) {
	switch m := m.(type) {
	case *tick:
		a.onTick(m)
	case *failoverTick:
		a.onFailoverTick(m)
	case *keyframeSeen:
		a.onKeyframe(m)
	case *syncInputs:
		a.onSyncInputs(ctx)
	}
}
