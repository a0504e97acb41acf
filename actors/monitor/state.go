package monitor

import (
	"sort"
	"time"
)

// Alert is a rule's condition that has held for its duration: firing
// until the condition no longer holds.
type Alert struct {
	Condition
	Since time.Time `json:"since"` // when the condition began to hold
	Fired time.Time `json:"fired"` // when it had held long enough
}

// alertState follows conditions over time: pending ones (holding, not
// yet long enough) and firing ones. Not safe for concurrent use.
type alertState struct {
	pending map[string]time.Time // key: since
	firing  map[string]Alert
}

func newAlertState() *alertState {
	return &alertState{pending: map[string]time.Time{}, firing: map[string]Alert{}}
}

// step takes the conditions that hold at now and returns the alerts that
// fire and those that clear. A condition that stops holding before its
// duration fires nothing.
func (s *alertState) step(conds []Condition, now time.Time) (fired, cleared []Alert) {
	holding := make(map[string]bool, len(conds))
	for _, c := range conds {
		k := c.Key()
		holding[k] = true
		if a, ok := s.firing[k]; ok {
			a.Value, a.Message = c.Value, c.Message
			s.firing[k] = a
			continue
		}
		since, ok := s.pending[k]
		if !ok {
			since = now
			s.pending[k] = now
		}
		if now.Sub(since) >= c.For {
			a := Alert{Condition: c, Since: since, Fired: now}
			s.firing[k] = a
			delete(s.pending, k)
			fired = append(fired, a)
		}
	}
	for k := range s.pending {
		if !holding[k] {
			delete(s.pending, k)
		}
	}
	for k, a := range s.firing {
		if !holding[k] {
			delete(s.firing, k)
			cleared = append(cleared, a)
		}
	}
	sortAlerts(fired)
	sortAlerts(cleared)
	return fired, cleared
}

// active returns the firing alerts, oldest first.
func (s *alertState) active() []Alert {
	out := make([]Alert, 0, len(s.firing))
	for _, a := range s.firing {
		out = append(out, a)
	}
	sortAlerts(out)
	return out
}

func sortAlerts(as []Alert) {
	sort.Slice(as, func(i, j int) bool {
		if !as[i].Fired.Equal(as[j].Fired) {
			return as[i].Fired.Before(as[j].Fired)
		}
		return as[i].Key() < as[j].Key()
	})
}
