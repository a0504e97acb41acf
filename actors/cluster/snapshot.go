package cluster

import (
	"slices"
	"strings"
	"sync/atomic"
)

// view is View over the snapshot the provider publishes after each round.
type view struct {
	now     atomic.Pointer[snapshot]
	settled atomic.Bool // set once, never cleared
}

type snapshot struct {
	self    Member
	members []Member // self included, sorted by ID
}

func newView(self Member) *view {
	v := &view{}
	v.publish(self, nil)
	return v
}

// publish makes self and the alive peers the view.
func (v *view) publish(self Member, peers []Member) {
	self.Self = true
	all := append(slices.Clone(peers), self)
	slices.SortFunc(all, func(a, b Member) int { return strings.Compare(a.ID, b.ID) })
	v.now.Store(&snapshot{self: self, members: all})
}

func (v *view) Members() []Member { return slices.Clone(v.now.Load().members) }

func (v *view) Self() Member { return v.now.Load().self }

// Settled implements SettledView: true once every peer line has answered
// as a node that has settled itself (its claims are final), or after
// maxMisses rounds (a node starting beside its peers sees them before it
// places anything, so they do not all capture at once).
func (v *view) Settled() bool { return v.settled.Load() }
