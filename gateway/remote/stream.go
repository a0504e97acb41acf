// Package remote makes the gateway's locators cluster-aware: any node
// serves any stream. A stream that runs on another member reaches the
// Control API as a Stream whose stats, input select and stop are calls to
// its owner (cluster.Remote), and reaches viewers as a local relay that
// pulls it from the owner once (Viewers opens one for a stream this node
// does not have). Which member holds a stream is read from cluster.View's
// published snapshot: Locate never waits on the network.
package remote

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"streamhive/actors/cluster"
	"streamhive/actors/config"
	"streamhive/gateway/live"
	"streamhive/media/hls"
	"streamhive/media/segment"
	"streamhive/media/stats"
)

const (
	// statsTimeout bounds one stats call to the owner: a list of many
	// relayed streams must not hang on one owner that went quiet.
	statsTimeout = 2 * time.Second
	// statsTTL is how long an owner's answer is reused: GET /streams asks
	// for every stream's stats, and a list refreshed every second should
	// not cost a round trip per stream per refresh.
	statsTTL = time.Second
)

// Stream is a stream running on another member, as the Control API acts
// on it. It carries no media: viewers are served by the local relay
// (Viewers), so its Window is nil and Next and Wait only wait for ctx, as
// live.Stream's contract has for a stream that produces nothing here.
// Stats asks the owner (bounded by statsTimeout, answers reused for
// statsTTL), which is the one place it departs from "returns at once".
type Stream struct {
	owner  cluster.Member
	name   string
	remote cluster.Remote
	cache  *statsCache
}

var _ live.Stream = (*Stream)(nil)

// Owner is the member the stream runs on.
func (s *Stream) Owner() cluster.Member { return s.owner }

// Window implements live.Stream: no window here.
func (s *Stream) Window() *segment.Window { return nil }

// Next implements live.Stream: it waits for ctx.
func (s *Stream) Next(ctx context.Context, _ *segment.Window) (*segment.Window, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// Wait implements live.Stream: it waits for ctx.
func (s *Stream) Wait(ctx context.Context, _ uint64, _ int) error {
	<-ctx.Done()
	return ctx.Err()
}

// Media implements live.Stream: nothing here.
func (s *Stream) Media(context.Context, hls.Ref) ([]byte, error) { return nil, nil }

// Enabled implements live.Stream.
func (s *Stream) Enabled(string) bool { return true }

// Preview implements live.Stream: pictures are the relay's business.
func (s *Stream) Preview(context.Context) ([]byte, error) {
	return nil, fmt.Errorf("%w: %q runs on %s", live.ErrNotProducing, s.name, s.owner.Name)
}

// Stats implements live.Stream: the owner's report.
func (s *Stream) Stats() (stats.Stream, bool) {
	return s.cache.get(s.owner, s.name, func() (stats.Stream, bool, error) {
		ctx, cancel := context.WithTimeout(context.Background(), statsTimeout)
		defer cancel()
		return s.remote.Stats(ctx, s.owner, s.name)
	})
}

// SelectInput implements live.Stream on the owner.
func (s *Stream) SelectInput(ctx context.Context, index int) error {
	return s.mapErr(s.remote.SelectInput(ctx, s.owner, s.name, index))
}

// Stop implements live.Stream on the owner.
func (s *Stream) Stop(ctx context.Context) error {
	return s.mapErr(s.remote.Stop(ctx, s.owner, s.name))
}

// mapErr keeps the errors live.Stream documents (the owner's answer) and
// makes every other failure (no answer, a transport error) ErrUnreachable.
func (s *Stream) mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, config.ErrNotFound), errors.Is(err, config.ErrNoInput), errors.Is(err, config.ErrInvalid):
		return fmt.Errorf("stream %q on %s: %w", s.name, s.owner.Name, err)
	default:
		return fmt.Errorf("%w: %s (stream %q): %w", live.ErrUnreachable, s.owner.Name, s.name, err)
	}
}

// statsCache keeps the owners' latest stats answers by stream name.
type statsCache struct {
	mu  sync.Mutex
	now func() time.Time
	m   map[string]cachedStats
}

type cachedStats struct {
	owner string // member ID: an answer from a former owner is stale
	at    time.Time
	st    stats.Stream
	ok    bool
}

func newStatsCache() *statsCache {
	return &statsCache{now: time.Now, m: make(map[string]cachedStats)}
}

// get returns name's cached stats from owner while fresh, else asks.
// Two requests that miss together both ask: rare, and cheaper than a
// lock held across a network call.
func (c *statsCache) get(owner cluster.Member, name string, ask func() (stats.Stream, bool, error)) (stats.Stream, bool) {
	now := c.now()
	c.mu.Lock()
	e, hit := c.m[name]
	c.mu.Unlock()
	if hit && e.owner == owner.ID && now.Sub(e.at) < statsTTL {
		return e.st, e.ok
	}
	st, ok, err := ask()
	if err != nil {
		ok = false
	}
	c.mu.Lock()
	c.m[name] = cachedStats{owner: owner.ID, at: now, st: st, ok: ok}
	if len(c.m) > maxCached {
		clear(c.m) // names come from requests: bound the map
	}
	c.mu.Unlock()
	return st, ok
}

// maxCached bounds statsCache.
const maxCached = 4096
