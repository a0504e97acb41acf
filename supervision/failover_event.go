package supervision

import (
	"errors"
	"time"
)

// Errors returned by Failover.Select.
var (
	// ErrNoInput: the index names no configured input.
	ErrNoInput = errors.New("supervision: no such input")
	// ErrInputFailed: the input has failed and cannot be selected until
	// it recovers.
	ErrInputFailed = errors.New("supervision: input has failed")
)

// EventKind says what happened to an input.
type EventKind uint8

// Event kinds. Every kind but EventTick names an input.
const (
	// EventTick: only time passed. The actor sends it at NextCheck (and
	// may send it more often).
	EventTick EventKind = iota
	// EventConnected: a new run of the input connected to its source and
	// knows its tracks (the input's Publish). It clears any failure.
	EventConnected
	// EventFrames: the input delivered frames since the last report (its
	// frame counter grew). It clears a timeout failure.
	EventFrames
	// EventKeyframe: the input delivered a video keyframe (or, for an
	// audio-only input, any frame a decoder can start at). It counts as
	// frames too, and it is the moment a switch to this input happens.
	EventKeyframe
	// EventErrors: the input dropped Count malformed or unusable units.
	EventErrors
	// EventDead: the input's connection or actor died (Reason says why).
	// It fails the input at once; only EventConnected revives it.
	EventDead
)

var eventNames = [...]string{"tick", "connected", "frames", "keyframe", "errors", "dead"}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return "unknown"
}

// Event is one observation fed to Failover.Step.
type Event struct {
	// At is when it happened, from the actor's clock. Events must come in
	// time order; one older than the last is taken as happening then.
	At    time.Time
	Kind  EventKind
	Input int    // the input's index in configuration order; unused for EventTick
	Count int    // EventErrors: how many errors; ignored otherwise
	Why   string // EventDead: the error, for the failure reason; optional
}

// Cause classifies why the active input changed, for logs and metrics
// labels.
type Cause uint8

// Causes.
const (
	CauseNone     Cause = iota // nothing has fed the stream yet
	CauseStart                 // the first input took over at its keyframe
	CauseFailed                // the active input failed: nothing feeds the hub
	CauseFailover              // an input took over after the active one failed
	CauseReturn                // a higher-priority input returned at its keyframe
	CauseSelect                // a manually selected input took over at its keyframe
)

var causeNames = [...]string{"none", "start", "failed", "failover", "return", "select"}

func (c Cause) String() string {
	if int(c) < len(causeNames) {
		return causeNames[c]
	}
	return "unknown"
}

// FailoverDecision is the policy's answer after each event. It is a fresh
// value the caller may keep.
type FailoverDecision struct {
	// Active is the input that feeds the hub now, -1 for none. It is
	// never a failed input.
	Active int
	// Changed reports whether this event changed Active: the actor
	// revokes the old grant and, when Active >= 0, grants the new input.
	Changed bool
	// Cause and Reason say why Active last changed (Reason is a sentence
	// for the log and the stream's last switch reason).
	Cause  Cause
	Reason string
	// Backup reports whether Active is marked backup: the DVR skips it.
	Backup bool
	// Next is the input the policy switches to at its next keyframe, -1
	// for none: the actor reports that input's keyframes as
	// EventKeyframe. While no input is active, a keyframe from any
	// healthy input takes over; Next is the best-ranked one delivering
	// frames.
	Next int
	// Connect lists the inputs to keep connected, ascending: the actor
	// starts those that are not running and stops the others.
	Connect []int
	// NextCheck is when the actor should send EventTick if nothing else
	// happens first (a timeout, a return becoming due); zero when no
	// deadline is pending.
	NextCheck time.Time
}
