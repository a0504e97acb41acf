package mediatest

import (
	"testing"
	"time"
)

// PollInterval is how often Eventually and WaitFor evaluate their
// condition: often enough that a test does not idle long after the
// condition holds, rarely enough that a hundred waiting tests do not
// busy the CPU.
const PollInterval = 10 * time.Millisecond

// Eventually calls cond every PollInterval until it returns true, which
// Eventually then returns, or until timeout passes, when it returns false.
// cond runs at least once, on the caller's goroutine.
//
// Polling is for what a test cannot hook into: another process, a
// server's sockets, the state of an actor seen through its snapshots.
// Where the test owns the clock and the goroutines, a synctest bubble
// (synctest.Wait) is better; inside one, the polling advances fake time.
func Eventually(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if !time.Now().Before(deadline) {
			return false
		}
		time.Sleep(PollInterval)
	}
	return true
}

// WaitFor is Eventually that fails the test when timeout passes, with a
// message naming what it waited for.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	if !Eventually(timeout, cond) {
		t.Fatalf("timed out after %v waiting for %s", timeout, what)
	}
}
