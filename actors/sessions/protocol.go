package sessions

import "streamhive/actors/auth"

// This file is the sessions supervisor's and the session actors' local
// protocol. Nothing outside the package sends them messages: the gateway
// and the Control API go through the Table, which sends these.

// spawnSession asks the supervisor to start the actor of a session the
// Table just admitted. The session is shared with the Table: its mutable
// parts are atomics, and the message itself never changes.
type spawnSession struct{ s *session }

// reauthNow makes a session ask its backend again now (POST
// /sessions/reauth) instead of at its decision's expiry.
type reauthNow struct{}

// sweepTick is the supervisor's timer: drop expired refusals.
type sweepTick struct{}

// idleTick is a session's inactivity timer; gen drops a stale one.
type idleTick struct{ gen uint64 }

// reauthTick is a session's X-AuthDuration timer; gen drops a stale one.
type reauthTick struct{ gen uint64 }

// reauthDone carries a re-ask's decision from its goroutine.
type reauthDone struct {
	gen      uint64
	decision auth.Decision
}
