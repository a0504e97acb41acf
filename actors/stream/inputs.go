package stream

import (
	"fmt"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit"
	"streamhive/media"
)

// inputSet is the stream's bookkeeping of its input children, in
// configuration order. It belongs to the stream actor.
type inputSet struct {
	gen   int // bumps each time the children are (re)started; part of their names
	slots []inputSlot
	rank  []int          // rank[i] is slot i's position in priority order, 0 best
	byPID map[string]int // kit.Key(pid) -> slot index, for live children
}

type inputSlot struct {
	pid    *actor.PID
	status InputStatus

	// sink is the current run's sink, from its Publish (or the publisher
	// holding a publish:// slot) until it fails or stops; nil when none.
	sink *inputSink
	// The counters last reported to the failover policy.
	seenFrames, seenErrors uint64
}

// run is the number of the input's current instance, as its InputStarted
// and Publish carry it: one per failure so far, plus the first.
func (s *inputSlot) run() int { return int(s.status.Failures) + 1 }

// start spawns one child per configured input, in priority order, with
// fresh stats.
func (s *inputSet) start(ctx actor.Context, cfg Config) {
	s.gen++
	inputs := cfg.Stream.Inputs
	s.slots = make([]inputSlot, len(inputs))
	s.rank = make([]int, len(inputs))
	s.byPID = make(map[string]int, len(inputs))
	for r, i := range priorityOrder(inputs) {
		s.rank[i] = r
		slot := &s.slots[i]
		slot.status = InputStatus{URL: inputs[i].URL, State: InputWaiting, Stats: new(media.InputStats)}
		props := cfg.Input(InputSpec{
			Stream: media.StreamName(cfg.Stream.Name), Index: i, Config: inputs[i], Stats: slot.status.Stats,
		})
		pid, err := ctx.SpawnNamed(props, fmt.Sprintf("input-%d#%d", i, s.gen))
		if err != nil {
			// Only a name clash fails a spawn, and gen rules that out.
			slot.status.State, slot.status.LastError = InputError, "spawn: "+err.Error()
			continue
		}
		slot.pid, slot.status.PID = pid, pid
		s.byPID[kit.Key(pid)] = i
	}
}

// stop stops every child. Their Terminated and failures arrive later and
// find no slot: the caller starts a new set or is going away.
func (s *inputSet) stop(ctx actor.Context) {
	for _, slot := range s.slots {
		if slot.pid != nil {
			ctx.Stop(slot.pid)
		}
	}
	s.slots, s.rank, s.byPID = nil, nil, nil
}

// index returns the slot of a live child.
func (s *inputSet) index(pid *actor.PID) (int, bool) {
	i, ok := s.byPID[kit.Key(pid)]
	return i, ok
}

// forget drops a child that has stopped; its slot and stats stay.
func (s *inputSet) forget(idx int) {
	delete(s.byPID, kit.Key(s.slots[idx].pid))
	s.slots[idx].pid, s.slots[idx].status.PID = nil, nil
}

// snapshot copies the inputs' status for a Status.
func (s *inputSet) snapshot() []InputStatus {
	if len(s.slots) == 0 {
		return nil
	}
	out := make([]InputStatus, len(s.slots))
	for i, slot := range s.slots {
		out[i] = slot.status
	}
	return out
}
