package server

import (
	"sync"
	"sync/atomic"
)

// pulls counts the m4f:// pulls in progress of each stream running here:
// another node's relay serves its viewers from one pull, so the pull
// counts as one viewer of the stream here, and an on-demand stream runs
// while the other nodes' viewers watch it.
type pulls struct {
	byName sync.Map // stream name → *atomic.Int64
}

func (p *pulls) counter(name string) *atomic.Int64 {
	n, _ := p.byName.LoadOrStore(name, new(atomic.Int64))
	return n.(*atomic.Int64)
}

// of returns how many pulls of stream name are in progress.
func (p *pulls) of(name string) int {
	if n, ok := p.byName.Load(name); ok {
		return int(n.(*atomic.Int64).Load())
	}
	return 0
}

// Pulling notes that another node pulls stream name from this node until
// done is called (once; later calls do nothing). The gateway's m4f
// handler calls it for each pull it serves.
func (s *Server) Pulling(name string) (done func()) {
	n := s.pulls.counter(name)
	n.Add(1)
	var once sync.Once
	return func() { once.Do(func() { n.Add(-1) }) }
}

// viewers is the streams supervisor's count of a stream's viewers: its
// sessions here and the other nodes' pulls of it.
func (s *Server) viewers(name string) int {
	return s.sessions.Clients(name) + s.pulls.of(name)
}
