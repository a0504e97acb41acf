package rtmp

import (
	"sync"

	"streamhive/media"
)

// tagCacheFrames is how many frames' tag bodies a server keeps: several
// seconds of a few streams, enough for a viewer that lags in its
// consumer's bounded queue. A frame that left the cache is built again,
// never lost.
const tagCacheFrames = 1024

// frameTag is one frame's FLV tag body, built once and then read by every
// viewer of the frame's stream.
type frameTag struct {
	once   sync.Once
	typeID uint8
	body   []byte
}

// tagCache builds each frame's tag body once for all the viewers a server
// plays it to: only the chunking stays per viewer. Frames are immutable
// and a hub gives every consumer the same *media.Frame, so the pointer is
// the key; the oldest entries go first. The zero value is ready.
type tagCache struct {
	mu   sync.Mutex
	m    map[*media.Frame]*frameTag
	ring [tagCacheFrames]*media.Frame
	next int
}

// get returns f's tag body as track t carries it; the body is shared and
// must not be changed.
func (c *tagCache) get(t media.Track, f *media.Frame) (typeID uint8, body []byte) {
	e := c.entry(f)
	e.once.Do(func() { e.typeID, e.body = appendFrameTag(nil, t, f) })
	return e.typeID, e.body
}

func (c *tagCache) entry(f *media.Frame) *frameTag {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[f]; ok {
		return e
	}
	if c.m == nil {
		c.m = make(map[*media.Frame]*frameTag, tagCacheFrames)
	}
	if old := c.ring[c.next]; old != nil {
		delete(c.m, old)
	}
	e := &frameTag{}
	c.ring[c.next], c.m[f] = f, e
	c.next = (c.next + 1) % tagCacheFrames
	return e
}
