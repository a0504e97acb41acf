package hub

// gopCache keeps the deliveries since the latest GOP start, so that a new
// consumer begins with a decodable picture instead of waiting up to a GOP.
type gopCache struct {
	d     []Delivery
	valid bool // false until a GOP start, and after an overflow
}

// add records d. limit bounds the cache (a GOP longer than a consumer's
// queue could not be handed over anyway); past it the cache is invalid until
// the next GOP start.
func (g *gopCache) add(d Delivery, limit int) {
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
