package vod

import (
	"container/list"
	"sync"

	"streamhive/media/segment"
)

// DefaultCacheBytes bounds the segments a Cache keeps: about 100 segments
// of a 4 Mbit/s file in both forms.
const DefaultCacheBytes = 256 << 20

// Cache keeps the segments cut most recently, up to a byte budget (their
// TS and CMAF bytes), so that the viewers of a hot file share one cut.
// Safe for concurrent use. Two viewers missing the same segment at once
// both cut it; the second result replaces the first.
type Cache struct {
	mu    sync.Mutex
	limit int
	used  int
	order *list.List // front: most recent; values *entry
	byKey map[Key]*list.Element
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
	return &Cache{limit: limit, order: list.New(), byKey: map[Key]*list.Element{}}
}

// Segment returns segment k of a (named file), cut now or kept from before.
func (c *Cache) Segment(file string, a *Asset, k int) (*segment.Segment, error) {
	key := Key{file, k}
	c.mu.Lock()
	if el, ok := c.byKey[key]; ok {
		c.order.MoveToFront(el)
		seg := el.Value.(*entry).seg
		c.mu.Unlock()
		return seg, nil
	}
	c.mu.Unlock()
	seg, err := a.Cut(k)
	if err != nil {
		return nil, err
	}
	c.put(key, seg)
	return seg, nil
}

// Used returns the bytes held.
func (c *Cache) Used() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

func (c *Cache) put(key Key, seg *segment.Segment) {
	size := len(seg.TS)
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
