package meter

import "time"

// rateSamples is how many samples a rate keeps: at one sample a second,
// rates are averaged over three seconds, long enough to smooth a GOP's
// large keyframe and short enough to follow a change.
const rateSamples = 4

// rate estimates how fast a counter grows, from its last rateSamples
// samples. at is any monotonic axis in nanoseconds (the wall clock, or a
// track's DTS); a sample that goes back on it, or a counter that shrinks,
// starts the window over. Not safe for concurrent use.
type rate struct {
	at [rateSamples]int64
	v  [rateSamples]uint64
	n  int // samples held, up to rateSamples
}

func (r *rate) add(at int64, v uint64) {
	if r.n > 0 && (at < r.at[r.n-1] || v < r.v[r.n-1]) {
		r.n = 0
	}
	if r.n > 0 && at == r.at[r.n-1] {
		r.v[r.n-1] = v // no progress on the axis: keep one sample per point
		return
	}
	if r.n == rateSamples {
		copy(r.at[:], r.at[1:])
		copy(r.v[:], r.v[1:])
		r.n--
	}
	r.at[r.n], r.v[r.n] = at, v
	r.n++
}

// perSecond returns the growth per second over the window; 0 with fewer
// than two samples.
func (r *rate) perSecond() float64 {
	if r.n < 2 {
		return 0
	}
	span := r.at[r.n-1] - r.at[0]
	if span <= 0 {
		return 0
	}
	return float64(r.v[r.n-1]-r.v[0]) * float64(time.Second) / float64(span)
}

// reset forgets every sample.
func (r *rate) reset() { r.n = 0 }
