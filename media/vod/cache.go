package vod

import (
	"container/list"
	"fmt"
	"sync"

	"streamhive/media/segment"
)

// DefaultCacheBytes bounds the segments a Cache keeps: about 100 segments
// of a 4 Mbit/s file in both forms.
const DefaultCacheBytes = 256 << 20

// Cache keeps the segments cut most recently, up to a byte budget (their
// TS and CMAF bytes), so that the viewers of a hot file share one cut.
// Safe for concurrent use. Viewers missing the same segment at once share
// one cut: the first cuts, the others wait for its result.
type Cache struct {
	mu      sync.Mutex
	limit   int
	used    int
	order   *list.List // front: most recent; values *entry
	byKey   map[Key]*list.Element
	cutting map[Key]*cut // segments being cut now
	cutter  func(a *Asset, k int) (*segment.Segment, error)
}

// cut is one segment being cut; done closes when seg or err is set.
type cut struct {
	done    chan struct{}
	waiters int // callers waiting for it besides the one cutting
	seg     *segment.Segment
	err     error
}

// Key names one segment of one file: the file's identity (location and
// path, as the caller names it) and the segment number.
type Key struct {
	File    string
	Segment int
}

type entry struct {
	key  Key
	seg  *segment.Segment
	size int
}

// NewCache returns a cache of at most limit bytes (DefaultCacheBytes if <= 0).
func NewCache(limit int) *Cache {
	if limit <= 0 {
		limit = DefaultCacheBytes
	}
	return &Cache{limit: limit, order: list.New(), byKey: map[Key]*list.Element{}, cutting: map[Key]*cut{}, cutter: (*Asset).Cut}
}

// Segment returns segment k of a (named file), cut now, kept from before,
// or cut by a concurrent caller that this one waits for. A failed cut is
// not kept: the next request tries again.
func (c *Cache) Segment(file string, a *Asset, k int) (*segment.Segment, error) {
	key := Key{file, k}
	c.mu.Lock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		seg := el.Value.(*entry).seg
		c.mu.Unlock()
		return seg, nil
	}
	if run, ok := c.cutting[key]; ok {
		run.waiters++
		c.mu.Unlock()
		<-run.done
		return run.seg, run.err
	}
	run := &cut{done: make(chan struct{})}
	c.cutting[key] = run
	c.mu.Unlock()

	// Deferred, so that waiters are released even if the cut panics.
	defer func() {
		c.mu.Lock()
		delete(c.cutting, key)
		c.mu.Unlock()
		close(run.done)
	}()
	run.err = fmt.Errorf("vod: cutting segment %d failed", k) // what waiters see if the cut panics
	seg, err := c.cutter(a, k)
	run.seg, run.err = seg, err
	if err == nil {
		c.put(key, seg)
	}
	return seg, err
}

// Used returns the bytes held.
func (c *Cache) Used() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

func (c *Cache) put(key Key, seg *segment.Segment) {
	size := 0 // its MPEG-TS is made on demand, held by segment's own cache
	for _, b := range seg.CMAF {
		size += len(b)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		c.used -= el.Value.(*entry).size
		c.order.Remove(el)
	}
	if size > c.limit {
		return
	}
	c.byKey[key] = c.order.PushFront(&entry{key: key, seg: seg, size: size})
	c.used += size
	for c.used > c.limit {
		old := c.order.Back()
		e := old.Value.(*entry)
		c.order.Remove(old)
		delete(c.byKey, e.key)
		c.used -= e.size
	}
}
