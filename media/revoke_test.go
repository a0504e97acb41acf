package media

import (
	"sync/atomic"
	"testing"
	"testing/synctest"
)

type revocableSink struct{ ch chan struct{} }

func (revocableSink) WriteFrame(*Frame)          {}
func (s revocableSink) Revoked() <-chan struct{} { return s.ch }
func newRevocable() revocableSink                { return revocableSink{ch: make(chan struct{})} }

// The watch's goroutines run in a synctest bubble: synctest.Wait returns
// once they are all blocked, so "onRevoke was not called" is checked after
// everything that could call it has run, with no sleep.
func TestRevokeWatch(t *testing.T) {
	t.Run("revoked", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var calls atomic.Int32
			w := NewRevokeWatch(func() { calls.Add(1) })
			s := newRevocable()
			w.Follow(s)
			close(s.ch)
			synctest.Wait()
			if calls.Load() != 1 {
				t.Fatal("onRevoke not called")
			}
		})
	})
	t.Run("republish is not a takeover", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var calls atomic.Int32
			w := NewRevokeWatch(func() { calls.Add(1) })
			old, cur := newRevocable(), newRevocable()
			w.Follow(old)
			w.Stop() // before publishing again
			close(old.ch)
			w.Follow(cur)
			synctest.Wait()
			if calls.Load() != 0 {
				t.Fatal("the publisher's own old sink tripped the watch")
			}
			close(cur.ch)
			synctest.Wait()
			if calls.Load() != 1 {
				t.Fatal("the current sink's revocation was missed")
			}
		})
	})
	t.Run("stopped", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var calls atomic.Int32
			w := NewRevokeWatch(func() { calls.Add(1) })
			s := newRevocable()
			w.Follow(s)
			w.Stop()
			close(s.ch)
			synctest.Wait()
			if calls.Load() != 0 {
				t.Fatal("onRevoke called after Stop")
			}
		})
	})
	t.Run("not revocable", func(t *testing.T) {
		w := NewRevokeWatch(func() { t.Error("called") })
		w.Follow(nil)
		w.Stop()
	})
}
