package supervision

import "time"

// Health is an input's state as the policy sees it.
type Health uint8

// Input states.
const (
	HealthIdle       Health = iota // not needed, so not connected (on demand)
	HealthConnecting               // needed, not connected yet
	HealthConnected                // connected, no frames yet
	HealthLive                     // delivering frames
	HealthFailed                   // failed: see InputHealth.Reason
)

var healthNames = [...]string{"idle", "connecting", "connected", "live", "failed"}

func (h Health) String() string {
	if int(h) < len(healthNames) {
		return healthNames[h]
	}
	return "unknown"
}

// InputHealth is one input's part of FailoverStatus, for stats.inputs[].
type InputHealth struct {
	State Health
	Rank  int // position in priority order, 0 best
	// Reason is why the input failed: the current failure when State is
	// HealthFailed, else the last one ("" if none).
	Reason   string
	FailedAt time.Time // when the current or last failure was declared
	Failures int       // failures declared so far, of any kind
	// Flaps counts failures after delivering frames within FlapWindow:
	// each doubles the input's return delay.
	Flaps int
	// SteadySince is when the current stretch of steady delivery began;
	// zero when the input is not delivering.
	SteadySince time.Time
	Connect     bool // the actor must keep it connected
	Backup      bool
	Standby     bool
}

// FailoverStatus is a copy of the policy's state for the stream's status.
type FailoverStatus struct {
	Active int // -1 when nothing feeds the hub
	Next   int // -1 when no switch is pending
	Pinned int // the input selected by hand, -1 for none
	Backup bool
	// Switches counts changes of the active input from one input to
	// another (losing the active input, and its coming back, are not
	// switches; a failover to another input is one).
	Switches  int
	Cause     Cause
	Reason    string    // why the active input last changed
	ChangedAt time.Time // when
	Inputs    []InputHealth
}

// NoSource reports whether no input feeds the stream and none is even
// connected: every input has failed or is still connecting.
func (s FailoverStatus) NoSource() bool {
	if s.Active >= 0 {
		return false
	}
	for _, in := range s.Inputs {
		if in.State == HealthConnected || in.State == HealthLive {
			return false
		}
	}
	return true
}

// Status returns a copy of the policy's state as of the last event.
func (p *Failover) Status() FailoverStatus {
	st := FailoverStatus{
		Active: p.active, Next: p.next, Pinned: p.pinned, Switches: p.switches,
		Cause: p.cause, Reason: p.reason, ChangedAt: p.changedAt,
		Inputs: make([]InputHealth, len(p.in)),
	}
	if p.active >= 0 {
		st.Backup = p.cfg.Inputs[p.active].Backup
	}
	for i := range p.in {
		s := &p.in[i]
		st.Inputs[i] = InputHealth{
			State: s.health(), Rank: p.rank[i], Reason: s.reason, FailedAt: s.failedAt,
			Failures: s.failures, Flaps: s.recentFlaps(p.now, p.cfg.FlapWindow), SteadySince: s.steadySince,
			Connect: s.wanted, Backup: p.cfg.Inputs[i].Backup, Standby: p.cfg.Inputs[i].Standby,
		}
	}
	return st
}

// health maps the input's state to its Health.
func (s *inputState) health() Health {
	switch {
	case !s.ok():
		return HealthFailed
	case s.link == linkLive:
		return HealthLive
	case s.link == linkConnected:
		return HealthConnected
	case s.wanted:
		return HealthConnecting
	}
	return HealthIdle
}
