package vodstore

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Cache keeps the blocks HTTP storages have read as files in a folder, at
// most Limit bytes of them: the least recently read go first. A block is
// kept from its Misses-th fetch on (Flussonic's `misses=N`: rarely read
// files never reach the disk). It forgets its folder's content when the
// process restarts: the folder is emptied on opening, so its size is
// known without a scan. With MaxAge set (the line's expiration), a block
// older than that is read from the origin again.
type Cache struct {
	dir    string
	limit  int64
	misses int
	// MaxAge, when positive, is how long a kept block is served from
	// disk after it was written (Flussonic's cache expiration); set it
	// before the cache is used.
	MaxAge time.Duration
	now    func() time.Time // time.Now; tests move it

	mu     sync.Mutex
	used   int64
	order  *list.List               // of *cached, most recent first
	byKey  map[string]*list.Element // kept blocks
	missed map[string]int           // fetches of blocks not kept yet
}

type cached struct {
	key     string
	file    string
	size    int64
	written time.Time
}

// maxMissTracked bounds the fetch counts held for blocks not yet kept.
const maxMissTracked = 1 << 16

// OpenCache prepares dir (made if missing, emptied of earlier blocks).
// limit <= 0 keeps nothing; misses < 1 keeps a block at its first fetch.
func OpenCache(dir string, limit int64, misses int) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("vod cache %s: %w", dir, err)
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*.blk"))
	for _, f := range old {
		_ = os.Remove(f)
	}
	return &Cache{
		dir: dir, limit: limit, misses: max(misses, 1), now: time.Now,
		order: list.New(), byKey: map[string]*list.Element{}, missed: map[string]int{},
	}, nil
}

// Used is the bytes the cache holds now.
func (c *Cache) Used() int64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

// get reads a kept block; false when it is not kept (or unreadable).
func (c *Cache) get(key string) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	el, ok := c.byKey[key]
	if ok && c.MaxAge > 0 && c.now().Sub(el.Value.(*cached).written) > c.MaxAge {
		c.evict(el) // expired: fetched again, and kept again by put
		ok = false
	}
	if ok {
		c.order.MoveToFront(el)
	}
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	b, err := os.ReadFile(el.Value.(*cached).file)
	return b, err == nil
}

// put counts a fetch of key and keeps b once it has been fetched misses
// times, evicting the least recently read blocks over the limit.
func (c *Cache) put(key string, b []byte) {
	if c == nil || int64(len(b)) > c.limit {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; ok {
		return
	}
	if n := c.missed[key] + 1; n < c.misses {
		if len(c.missed) >= maxMissTracked {
			clear(c.missed)
		}
		c.missed[key] = n
		return
	}
	delete(c.missed, key)
	sum := sha256.Sum256([]byte(key))
	file := filepath.Join(c.dir, hex.EncodeToString(sum[:16])+".blk")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		return // a cache that cannot write serves from the origin
	}
	c.byKey[key] = c.order.PushFront(&cached{key: key, file: file, size: int64(len(b)), written: c.now()})
	c.used += int64(len(b))
	for c.used > c.limit {
		c.evict(c.order.Back())
	}
}

func (c *Cache) evict(el *list.Element) {
	e := el.Value.(*cached)
	c.order.Remove(el)
	delete(c.byKey, e.key)
	c.used -= e.size
	_ = os.Remove(e.file)
}
