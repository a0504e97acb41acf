package transcoder

// The transcoder accepts no messages from outside: it is configured by its
// Props and stopped with its stream. These are between its own actors.

// sessionEnded is sent by a session's goroutine to its session when the
// ladder returned. The session escalates err to the transcoder actor.
type sessionEnded struct {
	err error
}

// IgnoreDeadLetterLogging: a session stopped by its stream ends its
// goroutine with a cancelled context, after the mailbox is gone.
func (*sessionEnded) IgnoreDeadLetterLogging() {}

// opusDemandChanged is sent by an OpusDemand to its actor when the
// number of viewers that want Opus leaves or reaches zero.
type opusDemandChanged struct{}

// opusGraceOver is sent by the Opus actor's grace timer; gen tells a
// stale timer from the current one.
type opusGraceOver struct{ gen int }

func (*opusDemandChanged) IgnoreDeadLetterLogging() {}
func (*opusGraceOver) IgnoreDeadLetterLogging()     {}
