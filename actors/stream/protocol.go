package stream

import (
	"errors"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/media"
)

// This file is the stream actor's whole local protocol: what it accepts,
// what it replies and what it emits. Send pointers; a message is immutable
// once sent. Every request gets exactly one reply of the matching *...Reply
// type, errors included.

// Errors carried in replies.
var (
	// ErrNotInput answers a Publish from an actor that is not one of the
	// stream's current inputs (an input of an older configuration).
	ErrNotInput = errors.New("stream: not one of this stream's inputs")
	// ErrStaleRun answers a Publish from a run of an input that has
	// failed since: a restarted instance publishes again by itself.
	ErrStaleRun = errors.New("stream: publish from a failed run of the input")
	// ErrOutranked answers a Publish while an input of higher priority
	// feeds the stream.
	ErrOutranked = errors.New("stream: a higher-priority input feeds the stream")
)

// Update replaces the stream's configuration after a reload or an API write
// changed it. No reply. The stream actor keeps running (its lifetime keeps
// growing); if the inputs changed, it stops its input children and starts
// new ones for the new list.
type Update struct {
	Config config.Stream
}

// Publish is sent by an input child that has connected to its source and
// knows the tracks: it asks for the right to feed the stream. The stream
// grants it to the best-ranked input that asks (priority order) and revokes
// the grant when that input fails, stops or is outranked.
type Publish struct {
	Input  *actor.PID
	Run    int // the input's InputStarted.Run
	Tracks []media.Track
}

// PublishReply answers Publish.
type PublishReply struct {
	// Sink is where the input writes frames, from its own goroutine,
	// until the grant is revoked; after that writes are dropped. Nil
	// when Err is set.
	Sink media.Sink
	Err  error
}

// InputStarted is sent by an input child each time an instance of it starts
// (first start and every restart): it is waiting for its source now.
type InputStarted struct {
	Input *actor.PID
	// Run is 1 for the input's first instance and grows by one with each
	// restart. The stream uses it to drop a report from an instance that
	// has failed since (a failure overtakes user messages in a mailbox).
	Run int
}

// StatusChanged is emitted to the parent whenever the stream's state
// (StateRunning, StateWaiting, StateError) changes, and once when an
// instance of the stream starts.
type StatusChanged struct {
	Stream *actor.PID
	Name   media.StreamName
	State  string
}
