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
