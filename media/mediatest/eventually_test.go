package mediatest

import (
	"testing"
	"testing/synctest"
	"time"
)

func TestEventually(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		calls := 0
		if !Eventually(time.Second, func() bool { calls++; return calls == 3 }) {
			t.Fatal("Eventually gave up on a condition that came true")
		}
		if got := time.Since(start); got != 2*PollInterval {
			t.Errorf("took %v, want two polls (%v)", got, 2*PollInterval)
		}
		start = time.Now()
		if Eventually(time.Second, func() bool { return false }) {
			t.Fatal("Eventually reported a condition that never held")
		}
		if got := time.Since(start); got < time.Second || got > time.Second+PollInterval {
			t.Errorf("gave up after %v, want the timeout (1s)", got)
		}
	})
}
