package streams

import (
	"github.com/VictoriaMetrics/metrics"

	"streamhive/actors/stream"
)

// Process-wide series, created once. Every streams supervisor adds and
// removes its own streams, so several in one process (tests) add up.
var (
	streamRestarts = metrics.NewCounter(`streamhive_actor_restarts_total{actor="stream"}`)

	streamsByState = map[string]*metrics.Gauge{
		stream.StateRunning: metrics.NewGauge(`streamhive_streams{status="running"}`, nil),
		stream.StateWaiting: metrics.NewGauge(`streamhive_streams{status="waiting"}`, nil),
		stream.StateError:   metrics.NewGauge(`streamhive_streams{status="error"}`, nil),
	}
)

// stateCounts is the number of this supervisor's streams in each state,
// mirrored into streamsByState.
type stateCounts map[string]int

// move counts one stream leaving state from ("" for none) for state to
// ("" for none).
func (c stateCounts) move(from, to string) {
	if from == to {
		return
	}
	if g := streamsByState[from]; g != nil {
		c[from]--
		g.Dec()
	}
	if g := streamsByState[to]; g != nil {
		c[to]++
		g.Inc()
	}
}

// clear removes this supervisor's streams from the gauges.
func (c stateCounts) clear() {
	for state, n := range c {
		streamsByState[state].Add(-float64(n))
		delete(c, state)
	}
}
