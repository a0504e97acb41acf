// Package apitest provides a hand-written fake of api.Control for tests
// and benchmarks of the gateway: an in-memory configuration that applies
// changes with the config package's own Apply, a locator whose streams
// have settable stats, settable readiness, and a record of what was asked
// of it.
package apitest

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/sessions"
	"streamhive/actors/vods"
	"streamhive/gateway/live"
	"streamhive/media/dvr"
	"streamhive/media/stats"
)

// Control is a fake api.Control. Safe for concurrent use. The zero value is
// not usable; call New.
type Control struct {
	cfg     atomic.Pointer[config.Server]
	dyn     atomic.Pointer[[]config.Stream] // SetDynamic
	ready   atomic.Bool
	started time.Time
	vods    *vods.Registry

	mu       sync.Mutex // guards the fields below
	stats    map[string]*stats.Stream
	applied  []config.Change
	stopped  []string
	fail     error
	dvrs     map[string]*dvr.Store
	archives map[string]dvr.Archive

	sessions []sessions.Info // SetSessions
	kicked   []string
}

// New returns a fake holding cfg (an empty configuration when nil), ready,
// started now.
func New(cfg *config.Server) *Control {
	if cfg == nil {
		cfg = &config.Server{}
	}
	c := &Control{started: time.Now(), stats: make(map[string]*stats.Stream)}
	c.cfg.Store(cfg)
	c.ready.Store(true)
	c.vods = vods.New(c.Config)
	return c
}

// VODs returns a registry over the current configuration: its locations'
// storages are real folders and URLs.
func (c *Control) VODs() *vods.Registry { return c.vods }

// Config returns the current snapshot.
func (c *Control) Config() *config.Server { return c.cfg.Load() }

// DynamicStreams returns what SetDynamic set: nil until then.
func (c *Control) DynamicStreams() *[]config.Stream { return c.dyn.Load() }

// SetDynamic sets the streams DynamicStreams returns (templates' streams);
// a stream in it is also located.
func (c *Control) SetDynamic(streams []config.Stream) { c.dyn.Store(&streams) }

// Locate implements live.Locator: a configured stream, or one SetStats
// gave stats, is on this node (live.Local), as a Stream whose status and
// control are this fake's (see Stream).
func (c *Control) Locate(name string) (live.Location, bool) {
	_, configured := c.cfg.Load().Stream(name)
	if d := c.dyn.Load(); d != nil {
		configured = configured || slices.ContainsFunc(*d, func(s config.Stream) bool { return s.Name == name })
	}
	c.mu.Lock()
	_, hasStats := c.stats[name]
	c.mu.Unlock()
	if !configured && !hasStats {
		return live.Location{}, false
	}
	return live.Location{Node: live.Local, Stream: &Stream{c: c, name: name}}, true
}

// Apply applies ch to a clone of the configuration and swaps it in, as the
// config owner does (without persisting). An error from Fail is returned
// first, changing nothing.
func (c *Control) Apply(ctx context.Context, ch config.Change) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.fail != nil {
		return c.fail
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	clone := c.cfg.Load().Clone()
	if err := ch.Apply(clone); err != nil {
		return err
	}
	c.applied = append(c.applied, ch)
	c.cfg.Store(clone)
	return nil
}

// Started returns when New was called.
func (c *Control) Started() time.Time { return c.started }

// Ready reports what SetReady stored (true after New).
func (c *Control) Ready() bool { return c.ready.Load() }

// SetReady sets what Ready reports.
func (c *Control) SetReady(v bool) { c.ready.Store(v) }

// SetStats publishes st as name's stats; nil removes them. st must not be
// modified afterwards: like the real snapshots, it is shared.
func (c *Control) SetStats(name string, st *stats.Stream) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st == nil {
		delete(c.stats, name)
		return
	}
	c.stats[name] = st
}

// SetConfig replaces the configuration outright.
func (c *Control) SetConfig(cfg *config.Server) { c.cfg.Store(cfg) }

// Fail makes every later Apply and Stream.Stop return err (nil to stop).
func (c *Control) Fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fail = err
}

// Applied returns the changes applied so far, in order.
func (c *Control) Applied() []config.Change {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]config.Change(nil), c.applied...)
}

// Stopped returns the names of the streams stopped, in order.
func (c *Control) Stopped() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.stopped...)
}

// DVR returns what SetDVR stored for name.
func (c *Control) DVR(name string) (*dvr.Store, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.dvrs[name]
	return st, ok
}

// DVRArchive returns what SetDVRArchive stored for name, else the store
// SetDVR stored.
func (c *Control) DVRArchive(name string) (dvr.Archive, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a, ok := c.archives[name]; ok {
		return a, true
	}
	st, ok := c.dvrs[name]
	return st, ok
}

// SetDVRArchive makes a the archive stream name serves (a cluster's
// union), beside its store.
func (c *Control) SetDVRArchive(name string, a dvr.Archive) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.archives == nil {
		c.archives = make(map[string]dvr.Archive)
	}
	c.archives[name] = a
}

// SetDVR makes st stream name's archive; nil removes it.
func (c *Control) SetDVR(name string, st *dvr.Store) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dvrs == nil {
		c.dvrs = make(map[string]*dvr.Store)
	}
	if st == nil {
		delete(c.dvrs, name)
		return
	}
	c.dvrs[name] = st
}

// DVRDisks returns the statuses of the disks of the stores SetDVR stored.
func (c *Control) DVRDisks() []dvr.DiskStatus {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []dvr.DiskStatus
	seen := make(map[*dvr.Disk]bool)
	for _, st := range c.dvrs {
		for _, d := range st.Disks() {
			if !seen[d] {
				seen[d] = true
				out = append(out, d.Status())
			}
		}
	}
	return out
}
