package remote

import "sync"

// hotKey names a record's TS or CMAF.
type hotKey struct {
	cmaf  bool
	start int64 // UnixNano
}

// hotCache keeps the bytes of the last n records read: the records every
// viewer of a stretch asks for within seconds of each other. Safe for
// concurrent use; values are never modified.
type hotCache struct {
	mu    sync.Mutex
	n     int
	order []hotKey // oldest first
	vals  map[hotKey][][]byte
}

func newHotCache(n int) *hotCache { return &hotCache{n: n, vals: map[hotKey][][]byte{}} }

func (c *hotCache) get(k hotKey) ([][]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.vals[k]
	return v, ok
}

func (c *hotCache) put(k hotKey, v [][]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.vals[k]; ok {
		return
	}
	if len(c.order) == c.n {
		delete(c.vals, c.order[0])
		c.order = c.order[1:]
	}
	c.order = append(c.order, k)
	c.vals[k] = v
}
