package segment

import (
	"container/list"
	"sync"
	"sync/atomic"
)

// The MPEG-TS cache holds the TS bytes made on demand (tsdemand.go) of the
// parts and segments read lately, across all streams, up to a budget of
// bytes; the least recently read go first. A part or segment being made
// is made once however many viewers ask for it at the same time.

// DefaultTSCacheBytes is the cache's budget until SetTSCacheBytes: the
// newest segment and parts of some thirty 4 Mbit/s streams with TS
// viewers, which read what was just cut.
const DefaultTSCacheBytes = 64 << 20

var tsCache = newLRU(DefaultTSCacheBytes)

// tsKeys numbers the parts and segments whose MPEG-TS may be cached. The
// cache is keyed by number, not by pointer, so that an entry does not pin
// a part's CMAF (its whole segment's buffer) after the window dropped it,
// and a part remade to view its segment's new array (store.go) finds
// what the original cached.
var tsKeys atomic.Uint64

// SetTSCacheBytes sets the cache's budget in bytes (0: cache nothing, make
// the bytes at every request).
func SetTSCacheBytes(n int) { tsCache.resize(n) }

// TSCacheBytes returns the bytes the cache holds now.
func TSCacheBytes() int {
	tsCache.mu.Lock()
	defer tsCache.mu.Unlock()
	return tsCache.used
}

type lru struct {
	mu      sync.Mutex
	max     int
	used    int
	entries map[uint64]*list.Element
	order   list.List // of *tsEntry, most recently read first
}

type tsEntry struct {
	key  uint64
	size int
	once sync.Once
	b    []byte
}

func newLRU(budget int) *lru { return &lru{max: budget, entries: map[uint64]*list.Element{}} }

// tsCached returns key's bytes, made by mk (appending to the buffer it is
// given) if the cache lacks them. size is their length, known beforehand.
func tsCached(key uint64, size int, mk func([]byte) []byte) []byte {
	e := tsCache.entry(key, size)
	e.once.Do(func() { e.b = mk(make([]byte, 0, size)) })
	return e.b
}

// entry returns key's entry, new or not, as the most recently read.
func (c *lru) entry(key uint64, size int) *tsEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*tsEntry)
	}
	e := &tsEntry{key: key, size: size}
	if size > c.max {
		return e // too big to keep: made for this reader alone
	}
	c.entries[key] = c.order.PushFront(e)
	c.used += size
	c.evict()
	return e
}

func (c *lru) resize(budget int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = budget
	c.evict()
}

// evict drops the least recently read entries until used fits max.
func (c *lru) evict() {
	for c.used > c.max {
		el := c.order.Back()
		e := el.Value.(*tsEntry)
		c.order.Remove(el)
		delete(c.entries, e.key)
		c.used -= e.size
	}
}
