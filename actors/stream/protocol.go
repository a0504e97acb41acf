package stream

import (
	"errors"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/media"
	"streamhive/media/preview"
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
	// ErrNoPublishInput answers an AcceptPublisher for a stream without a
	// publish:// input: it does not accept publishers.
	ErrNoPublishInput = errors.New("stream has no publish:// input")
	// ErrNoPicture is what Playback.Preview wraps while the stream has no
	// video keyframe to show.
	ErrNoPicture = preview.ErrNoPicture
	// ErrNotStarted is returned by a nil Playback's Subscribe: the
	// stream's actor is not running.
	ErrNotStarted = errors.New("stream: not started")
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

// AcceptPublisher asks for the publisher slot of the stream's publish://
// input on behalf of a publisher that came to us (an RTMP connection; the
// listener actor asks). A new publisher takes the slot over from an older
// one, whose writes are dropped from then on: an encoder that reconnects
// after a network failure must not wait for its dead connection to time
// out. Holding the slot does not mean feeding the stream: the failover
// policy decides that, as for any input.
type AcceptPublisher struct {
	Tracks []media.Track
	Peer   string // the publisher's address, for logs
	// Stats are the connection's live counters (safe for concurrent
	// use); the publish:// input shows them while this publisher holds
	// the slot. Nil means none.
	Stats *media.InputStats
}

// AcceptPublisherReply answers AcceptPublisher.
type AcceptPublisherReply struct {
	// Sink is where the publisher writes frames until ReleasePublisher or
	// until the slot is taken from it; later writes are dropped.
	Sink media.Sink
	// Session identifies this publication in ReleasePublisher.
	Session uint64
	Err     error
}

// ReleasePublisher ends publication Session (the publisher disconnected).
// No reply; idempotent, and a no-op for a session that no longer holds the
// slot.
type ReleasePublisher struct {
	Session uint64
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

// SelectInput pins input Index (configuration order) by hand: it takes
// over at its next keyframe and stays until it fails (the failover
// policy's Select). Replies *SelectInputReply.
type SelectInput struct {
	Index int
}

// SelectInputReply answers SelectInput. Err wraps supervision.ErrNoInput
// for an index out of range and supervision.ErrInputFailed for an input
// that has failed.
type SelectInputReply struct {
	Err error
}

// IgnoreDeadLetterLogging implements actor.IgnoreDeadLetterLogging: a
// publisher may disconnect after its stream has stopped.
func (*ReleasePublisher) IgnoreDeadLetterLogging() {}
