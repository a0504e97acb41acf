package hub

import "time"

// gopWanted is how long, on the stream's timeline, the GOP cache is kept
// after a consumer last subscribed. Only a new consumer reads the cache,
// and a stream that real-time players, pushes or transcoders do not join
// (one watched over HLS and DASH, which read segments) would hold half a
// GOP on average for nobody: some 0.5 MB of a 4 Mbit/s stream with 2 s
// GOPs. The first consumer after a quiet minute waits for the next
// keyframe instead, as every consumer of a hub without a cached GOP does.
const gopWanted = time.Minute

// gopCache keeps the deliveries since the latest GOP start, so that a new
// consumer begins with a decodable picture instead of waiting up to a GOP,
// while consumers are joining (gopWanted).
type gopCache struct {
	d     []Delivery
	valid bool // false until a GOP start, and after an overflow

	wanted bool          // a consumer subscribed within gopWanted of the timeline
	rearm  bool          // one subscribed since the last frame: wanted from that frame on
	until  time.Duration // the DTS after which the cache is no longer wanted
}

// subscribed notes a consumer joining: the cache is wanted for gopWanted
// from the next frame on.
func (g *gopCache) subscribed() { g.rearm = true }

// newTimeline notes a writer whose timestamps may start anywhere: the
// deadline of a wanted cache restarts from its first frame.
func (g *gopCache) newTimeline() { g.rearm = g.rearm || g.wanted }

// add records d. limit bounds the cache (a GOP longer than a consumer's
// queue could not be handed over anyway); past it the cache is invalid until
// the next GOP start. A cache no longer wanted is emptied and keeps nothing.
func (g *gopCache) add(d Delivery, limit int) {
	dts := d.Frame.DTS
	if g.rearm || g.wanted && dts < g.until-gopWanted { // a subscription, or time went back
		g.rearm, g.wanted, g.until = false, true, dts+gopWanted
	}
	if g.wanted && dts > g.until {
		g.wanted = false
		g.reset()
	}
	if !g.wanted {
		return
	}
	if d.Tracks.startsGOP(d.Frame) {
		g.reset()
		g.valid = true
	}
	if !g.valid {
		return
	}
	if len(g.d) >= limit {
		g.reset()
		return
	}
	g.d = append(g.d, d)
}

// reset empties the cache, clearing the slots so the frames can be freed.
func (g *gopCache) reset() {
	clear(g.d)
	g.d = g.d[:0]
	g.valid = false
}
