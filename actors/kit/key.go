package kit

import "github.com/asynkron/protoactor-go/actor"

// Key returns a comparable identity for pid, for use as a map key:
// *actor.PID pointers are not canonical (two pointers may name one actor).
// A nil pid has the empty key.
func Key(pid *actor.PID) string {
	if pid == nil {
		return ""
	}
	return pid.Address + "/" + pid.Id
}
