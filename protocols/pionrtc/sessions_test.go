package pionrtc

import (
	"errors"
	"testing"
)

// ender removes itself from its registry once asked to end, as a real
// session does when its goroutines have stopped.
type ender struct {
	r   *Sessions[*ender]
	id  string
	got error
}

func (e *ender) End(err error) {
	e.got = err
	go e.r.Remove(e.id)
}

func TestSessionsCloseEndsAndWaits(t *testing.T) {
	r := NewSessions[*ender]()
	errBye := errors.New("bye")
	a, b := &ender{r: r, id: NewID()}, &ender{r: r, id: NewID()}
	if a.id == b.id || len(a.id) != 32 {
		t.Fatalf("ids %q %q", a.id, b.id)
	}
	if !r.Add(a.id, a) || !r.Add(b.id, b) || r.Len() != 2 {
		t.Fatal("Add refused on an open registry")
	}
	if got, ok := r.Get(a.id); !ok || got != a {
		t.Fatal("Get lost a session")
	}
	r.Close(errBye) // returns once both removed themselves
	if r.Len() != 0 || !r.Closed() || !errors.Is(a.got, errBye) || !errors.Is(b.got, errBye) {
		t.Fatalf("after Close: %d live, ends %v %v", r.Len(), a.got, b.got)
	}
	if r.Add("late", &ender{r: r}) {
		t.Fatal("Add after Close was taken")
	}
	r.Close(errBye) // idempotent
}
