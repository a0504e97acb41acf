// Package vods is the server's registry of VOD locations: the `vod` (and
// `file`) locations of the running configuration, each with its storages
// opened (protocols/vodstore), and the files viewers have open. It is a
// plain value owned by actors/server, like the DVR storage: a file read
// is a ReadAt on the caller's goroutine, never a message, and a location
// carries no state an actor would have to own (a config change rebuilds
// the locations; the disks, HTTP client and caches are kept across).
package vods

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"streamhive/actors/config"
	"streamhive/media/vod"
	"streamhive/protocols/vodstore"
)

// Registry answers the locations of the configuration in effect.
type Registry struct {
	current func() *config.Server
	client  *http.Client

	mu     sync.Mutex
	disks  map[string]vod.Storage      // by folder: opened once, kept across changes
	caches map[string]*vodstore.Cache  // by folder
	built  atomic.Pointer[locationsOf] // the locations of one snapshot
	opened opened
}

// locationsOf is the locations built from one snapshot.
type locationsOf struct {
	cfg *config.Server
	by  map[string]*Location
}

// Location is one VOD location and its storages, in search order.
type Location struct {
	Config   config.VOD
	Storages []vod.Storage
}

// New makes a registry over the snapshot current returns.
func New(current func() *config.Server) *Registry {
	return &Registry{
		current: current,
		client:  &http.Client{Timeout: 20 * time.Second},
		disks:   map[string]vod.Storage{},
		caches:  map[string]*vodstore.Cache{},
		opened:  opened{files: map[string]*openedFile{}},
	}
}

// Location returns the location called prefix.
func (r *Registry) Location(prefix string) (*Location, bool) {
	l, ok := r.locations().by[prefix]
	return l, ok
}

// Locations returns every location, in the configuration's order.
func (r *Registry) Locations() []*Location {
	cfg := r.current()
	b := r.locations()
	out := make([]*Location, 0, len(cfg.VODs))
	for i := range cfg.VODs {
		if l, ok := b.by[cfg.VODs[i].Prefix]; ok {
			out = append(out, l)
		}
	}
	return out
}

func (r *Registry) locations() *locationsOf {
	cfg := r.current()
	if b := r.built.Load(); b != nil && b.cfg == cfg {
		return b
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	b := &locationsOf{cfg: cfg, by: make(map[string]*Location, len(cfg.VODs))}
	for i := range cfg.VODs {
		v := cfg.VODs[i]
		l := &Location{Config: v}
		for _, s := range v.Storages {
			l.Storages = append(l.Storages, r.storage(s.URL, v.Cache))
		}
		b.by[v.Prefix] = l
	}
	r.built.Store(b)
	return b
}

// storage opens (or reuses) one storage; one that cannot open answers
// every call with why, so a missing folder fails its requests, not the
// configuration.
func (r *Registry) storage(u string, c *config.VODCache) vod.Storage {
	if !strings.Contains(u, "://") {
		if d, ok := r.disks[u]; ok {
			return d
		}
		d, err := vodstore.OpenDisk(u)
		if err != nil {
			return broken{err}
		}
		r.disks[u] = d
		return d
	}
	h, err := vodstore.OpenHTTP(u, r.client, r.cache(c))
	if err != nil {
		return broken{err}
	}
	return h
}

// cache returns the block cache of a location's `cache` line; nil without.
func (r *Registry) cache(c *config.VODCache) *vodstore.Cache {
	if c == nil {
		return nil
	}
	if k, ok := r.caches[c.Path]; ok {
		return k
	}
	limit := c.StorageLimit
	if limit == 0 {
		limit = defaultCacheLimit
	}
	k, err := vodstore.OpenCache(c.Path, limit, c.Misses)
	if err != nil {
		return nil // reads go to the origin
	}
	k.MaxAge = time.Duration(c.Expiration) * time.Second
	r.caches[c.Path] = k
	return k
}

// defaultCacheLimit bounds a cache whose line gives no size.
const defaultCacheLimit = 10 << 30

// broken is a storage that could not open.
type broken struct{ err error }

func (b broken) Open(context.Context, string) (vod.File, error)    { return nil, b.err }
func (b broken) List(context.Context, string) ([]vod.Entry, error) { return nil, b.err }

// Open opens path in the location's storages, in order: the first that
// has it serves it. A refused path (vod.ErrBadPath) stops the search.
func (l *Location) Open(ctx context.Context, path string) (vod.File, int, error) {
	var firstErr error
	for i, s := range l.Storages {
		f, err := s.Open(ctx, path)
		switch {
		case err == nil:
			return f, i, nil
		case errors.Is(err, vod.ErrBadPath):
			return nil, i, err
		case firstErr == nil && !errors.Is(err, vod.ErrNotFound):
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = fmt.Errorf("%w: %s/%s", vod.ErrNotFound, l.Config.Prefix, path)
	}
	return nil, -1, firstErr
}

// Storage returns the location's storage i.
func (l *Location) Storage(i int) (vod.Storage, bool) {
	if i < 0 || i >= len(l.Storages) {
		return nil, false
	}
	return l.Storages[i], true
}
