package cluster

import (
	"slices"
	"strings"
	"sync/atomic"
)

// view is View over the snapshot the provider publishes after each round.
type view struct {
	now atomic.Pointer[snapshot]
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
