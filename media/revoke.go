package media

import "sync"

// Revocable is implemented by a Sink that its stream can take back:
// another publisher took the stream's publish slot, or the input was
// removed. Revoked is closed then, and frames written afterwards are
// dropped.
type Revocable interface {
	Revoked() <-chan struct{}
}

// RevokeWatch ends a publishing connection when its stream takes the
// publication back, so that an encoder learns it is off the air instead of
// streaming into the void. A protocol server makes one per connection:
//
//	w.Stop()              // before each Publish: a publisher's own re-publish is no takeover
//	sink, release, err := hooks.Publish(...)
//	w.Follow(sink)        // after a successful Publish
//	...
//	w.Stop(); release()   // when the connection ends
//
// Its methods are safe for concurrent use.
type RevokeWatch struct {
	onRevoke func()

	mu   sync.Mutex
	gen  uint64 // bumped by Stop and Follow: an older watch does nothing
	quit chan struct{}
}

// NewRevokeWatch returns a watch that calls onRevoke, on a goroutine of its
// own, when the sink it follows is revoked. onRevoke must be quick (close
// a connection, cancel a context) and must not call the watch's methods.
func NewRevokeWatch(onRevoke func()) *RevokeWatch {
	return &RevokeWatch{onRevoke: onRevoke}
}

// Follow watches sink from now on, instead of any earlier sink. A sink that
// is not Revocable is not watched.
func (w *RevokeWatch) Follow(sink Sink) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopLocked()
	r, ok := sink.(Revocable)
	if !ok {
		return
	}
	gen, quit := w.gen, make(chan struct{})
	w.quit = quit
	go func() {
		select {
		case <-r.Revoked():
		case <-quit:
			return
		}
		w.mu.Lock() // held through onRevoke, so that Stop waits for it
		defer w.mu.Unlock()
		if w.gen == gen {
			w.onRevoke()
		}
	}()
}

// Stop ends the watch; once it returns, onRevoke is not called for a sink
// followed before.
func (w *RevokeWatch) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopLocked()
}

func (w *RevokeWatch) stopLocked() {
	w.gen++
	if w.quit != nil {
		close(w.quit)
		w.quit = nil
	}
}
