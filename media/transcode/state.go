package transcode

// Transcoder states, as the Control API shows them.
const (
	StateStarting = "starting" // no rendition has produced a frame yet
	StateRunning  = "running"
	StateError    = "error" // the last run failed; LastError says why
)

// state is what the owner of a ladder reports about it beyond counters.
type state struct {
	status, err string
}

// SetFailed records that a run of the ladder failed with err; the owner
// calls it before restarting the ladder.
func (s *Stats) SetFailed(err error) {
	s.Restarts.Add(1)
	s.outSince.Store(s.outTotal())
	s.state.Store(&state{status: StateError, err: err.Error()})
}

// SetFallback records that the ladder runs on the CPU because its
// hardware encoder failed with err.
func (s *Stats) SetFallback(err error) {
	s.fallback.Store(true)
	s.outSince.Store(s.outTotal())
	s.state.Store(&state{status: StateStarting, err: err.Error()})
}

// Fallback reports whether the ladder fell back to software.
func (s *Stats) Fallback() bool { return s.fallback.Load() }

// State returns the ladder's state and its last error ("" when none): a
// ladder is running once it has written a frame since its last failure.
func (s *Stats) State() (status, lastError string) {
	p := s.state.Load()
	if p == nil {
		p = &state{status: StateStarting}
	}
	if p.status != StateRunning && s.outSince.Load() != s.outTotal() {
		return StateRunning, p.err
	}
	return p.status, p.err
}

// outTotal is the number of frames the ladder has written to its output
// (held-back frames count once written).
func (s *Stats) outTotal() uint64 { return s.written.Load() }
