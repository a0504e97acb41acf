package stream

import (
	"fmt"
	"maps"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/events"
	"streamhive/actors/push"
	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/stats"
)

// pushSet is the stream's bookkeeping of its push targets (package push),
// children it spawns for each enabled `push` and keeps across config
// updates that leave the push unchanged. It belongs to the stream actor.
type pushSet struct {
	seq    int // numbers the targets spawned by this stream actor
	slots  []pushSlot
	events *events.Bus // the pushes report their failures there
}

type pushSlot struct {
	cfg   config.Push
	pid   *actor.PID  // nil for a disabled push
	stats *push.Stats // nil for a disabled push
}

// sync makes the targets match cfg.Pushes (configuration order): a push
// whose configuration is unchanged keeps its actor and stats, the others
// are stopped or spawned. A target reads the stream through its own
// consumer of h.
func (s *pushSet) sync(ctx actor.Context, cfg config.Stream, h *hub.Hub) {
	pushes, old := cfg.Pushes, s.slots
	s.slots = make([]pushSlot, len(pushes))
	used := make([]bool, len(old))
	for i, p := range pushes {
		if j := findPush(old, used, p); j >= 0 {
			used[j] = true
			s.slots[i] = old[j]
			s.slots[i].cfg = p
			continue
		}
		s.slots[i] = s.spawn(ctx, media.StreamName(cfg.Name), p, h)
	}
	for j, slot := range old {
		if !used[j] && slot.pid != nil {
			ctx.Stop(slot.pid)
		}
	}
}

// spawn starts a target for p; a disabled push gets none.
func (s *pushSet) spawn(ctx actor.Context, name media.StreamName, p config.Push, h *hub.Hub) pushSlot {
	slot := pushSlot{cfg: p}
	if p.Disabled || h == nil {
		return slot
	}
	s.seq++
	id := fmt.Sprintf("%s/%d", name, s.seq)
	slot.stats = push.NewStats(id, push.Redact(p.URL))
	props := push.Props(push.Config{
		Stream: name, ID: id, Push: p, Stats: slot.stats, Events: s.events,
		Subscribe: func() (*hub.Consumer, error) { return h.Subscribe(), nil },
	})
	pid, err := ctx.SpawnNamed(props, fmt.Sprintf("push-%d", s.seq))
	if err != nil {
		return pushSlot{cfg: p} // only a name clash fails a spawn, and seq rules that out
	}
	slot.pid = pid
	return slot
}

// findPush returns the index of an unused slot of old configured as p, or -1.
func findPush(old []pushSlot, used []bool, p config.Push) int {
	for j := range old {
		o := old[j].cfg
		if !used[j] && o.URL == p.URL && o.RetryLimit == p.RetryLimit && o.RetryTimeout == p.RetryTimeout &&
			o.Disabled == p.Disabled && maps.Equal(o.Options, p.Options) {
			return j
		}
	}
	return -1
}

// snapshot returns the targets' live stats in configuration order, nil
// for a disabled push; nil without pushes.
func (s *pushSet) snapshot() []*push.Stats {
	if len(s.slots) == 0 {
		return nil
	}
	out := make([]*push.Stats, len(s.slots))
	for i, slot := range s.slots {
		out[i] = slot.stats
	}
	return out
}

// PushStats reads the live counters of the stream's pushes, in
// configuration order (nil for a disabled push); nil without pushes.
func (s *Status) PushStats() []*stats.Push {
	if len(s.Pushes) == 0 {
		return nil
	}
	out := make([]*stats.Push, len(s.Pushes))
	for i, p := range s.Pushes {
		out[i] = p.Snapshot()
	}
	return out
}
