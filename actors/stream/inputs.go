package stream

import (
	"fmt"
	"slices"
	"strings"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit"
	"streamhive/media"
	"streamhive/media/feed"
)

// inputSet is the stream's bookkeeping of its input children, in
// configuration order. It belongs to the stream actor.
//
// Inputs run on demand: a child runs only while the failover policy keeps
// its input in the Connect set (the inputs from the top of the priority
// order down to the first one delivering, failed ones probing by their
// restarts, and every standby input). publish:// inputs always run: they
// connect nowhere, and a publisher may come at any time.
type inputSet struct {
	gen   int // bumps each time the children are (re)started; part of their names
	slots []inputSlot
	rank  []int          // rank[i] is slot i's position in priority order, 0 best
	byPID map[string]int // kit.Key(pid) -> slot index, for live children
	// props builds a child's Props (Config.Input over the slot's spec).
	props func(InputSpec) *actor.Props
	// syncPending: a syncInputs is on its way to the stream.
	syncPending bool
}

type inputSlot struct {
	pid    *actor.PID
	spec   InputSpec
	status InputStatus

	// always: a publish:// input, which runs whatever the policy says.
	always bool
	// spawned: a child runs, or ran and was stopped by its supervisor
	// (pid nil: stopped for good, a permanent failure or a spent restart
	// budget; it is not spawned again until the inputs change). False
	// for an input never started or stopped because it was not needed.
	spawned bool
	spawns  int   // children spawned so far: part of their names
	runBase int64 // status.Failures when the current child was spawned

	// sink is the current run's sink, from its Publish (or the publisher
	// holding a publish:// slot) until it fails or stops; nil when none.
	sink *feed.Sink
	// The counters last reported to the failover policy.
	seenFrames, seenErrors uint64
}

// run is the number of the current child's instance, as its InputStarted
// and Publish carry it: one per failure since it was spawned, plus the
// first.
func (s *inputSlot) run() int { return int(s.status.Failures-s.runBase) + 1 }

// start prepares one slot per configured input, in priority order, with
// fresh stats, and spawns the publish:// ones. The others are spawned by
// sync, when the policy wants them.
func (s *inputSet) start(ctx actor.Context, cfg Config) {
	s.gen++
	inputs := cfg.Stream.Inputs
	s.slots = make([]inputSlot, len(inputs))
	s.rank = make([]int, len(inputs))
	s.byPID = make(map[string]int, len(inputs))
	s.props = cfg.Input
	for r, i := range priorityOrder(inputs) {
		s.rank[i] = r
		slot := &s.slots[i]
		slot.status = InputStatus{URL: inputs[i].URL, State: InputWaiting, Stats: new(media.InputStats)}
		slot.spec = InputSpec{
			Stream: media.StreamName(cfg.Stream.Name), Index: i, Config: inputs[i], Stats: slot.status.Stats,
		}
		slot.always = strings.HasPrefix(inputs[i].URL, "publish://")
		if slot.always {
			s.spawn(ctx, i)
		}
	}
}

// spawn starts a child for slot i.
func (s *inputSet) spawn(ctx actor.Context, i int) {
	slot := &s.slots[i]
	slot.spawns++
	slot.spawned, slot.runBase = true, slot.status.Failures
	pid, err := ctx.SpawnNamed(s.props(slot.spec), fmt.Sprintf("input-%d#%d.%d", i, s.gen, slot.spawns))
	if err != nil {
		// Only a name clash fails a spawn, and gen and spawns rule it out.
		slot.status.State, slot.status.LastError = InputError, "spawn: "+err.Error()
		return
	}
	slot.pid, slot.status.PID = pid, pid
	slot.status.State = InputWaiting
	s.byPID[kit.Key(pid)] = i
}

// retire stops slot i's child because the policy does not need it: the
// slot is forgotten at once, so the child's Terminated (and any failure
// on its way out) finds no slot.
func (s *inputSet) retire(ctx actor.Context, i int) {
	slot := &s.slots[i]
	if slot.pid != nil {
		ctx.Stop(slot.pid)
		s.forget(i)
	}
	slot.spawned = false
	slot.status.State = InputWaiting
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

// needsSync reports whether the running children differ from connect
// (the policy's Connect set): an input to start, or one to stop.
func (s *inputSet) needsSync(connect []int) bool {
	for i := range s.slots {
		if start, stop := s.slots[i].action(connect); start || stop {
			return true
		}
	}
	return false
}

// action says whether the slot's child must be started or stopped for
// connect (the policy's Connect set). A child its supervisor stopped for
// good stays stopped.
func (s *inputSlot) action(connect []int) (start, stop bool) {
	want := s.always || slices.Contains(connect, s.spec.Index)
	switch {
	case s.spawned && s.pid == nil:
		return false, false
	case want && !s.spawned:
		return true, false
	case !want && s.spawned:
		return false, true
	}
	return false, false
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
