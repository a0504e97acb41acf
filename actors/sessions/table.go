package sessions

import (
	"context"
	"log/slog"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/auth"
	"streamhive/actors/config"
	"streamhive/actors/events"
)

// Defaults of Options, with where they come from.
const (
	// DefaultIdleTimeout closes an HTTP session (HLS, DASH...) this long
	// after its last request. Flussonic documents "some timeout since the
	// last request" without a figure; 30 s outlasts a player's playlist
	// reload interval several times over.
	DefaultIdleTimeout = 30 * time.Second
	// DefaultDuration stands in for a decision without X-AuthDuration:
	// how often a protected session is re-asked, and how long a ban or a
	// kick lasts.
	DefaultDuration = 5 * time.Minute
	// DefaultNegativeTTL is how long a denied key is answered from memory
	// instead of asking the backend again: long enough that a player's
	// burst of retries costs one ask, short enough that a viewer the
	// backend lets in a moment later is not kept out.
	DefaultNegativeTTL = 3 * time.Second
	// DefaultAskTimeout bounds a re-ask of the backend (a new session's
	// ask is bounded by its request's context).
	DefaultAskTimeout = 10 * time.Second
)

// Options configure a Table. Every field is optional.
type Options struct {
	// Policies finds each stream's play protection; nil: nothing is
	// protected, every viewer is a session for accounting only.
	Policies auth.Policies
	// Config returns the running configuration: server max_sessions and
	// auth_token come from it. Nil: no server limit, token key "token".
	Config func() *config.Server
	// Country maps an IP to its ISO 3166 country code (GeoIP); nil or ""
	// for unknown.
	Country func(netip.Addr) string
	Logger  *slog.Logger
	// Events gets play_opened and play_closed. Nil: none.
	Events *events.Bus
	// NoAutoToken refuses a protected HTTP viewer who brought no token
	// (Flussonic's no_auto_token) instead of making one up.
	NoAutoToken bool

	IdleTimeout time.Duration // DefaultIdleTimeout when zero
	Duration    time.Duration // DefaultDuration when zero
	NegativeTTL time.Duration // DefaultNegativeTTL when zero
	AskTimeout  time.Duration // DefaultAskTimeout when zero
	// SoftGraceHTTP and SoftGraceConn delay a soft_limitation ban (30 or
	// 90 s in Flussonic's description): an HTTP session left behind at a
	// channel switch needs the idle timeout to close, a connection
	// session closes when its player disconnects.
	SoftGraceHTTP time.Duration // 90 s when zero
	SoftGraceConn time.Duration // 30 s when zero
}

// Table is the registry of viewer sessions and implements Gate. Safe for
// concurrent use; Admit of a known session takes a read lock on one of
// shardCount shards and allocates nothing.
type Table struct {
	o    Options
	log  *slog.Logger
	keys keyer

	shards  [shardCount]shard
	byID    sync.Map // id -> *session: the API's and kicks' index
	counts  counts
	users   users
	actors  atomic.Pointer[actorRef] // the sessions supervisor, once started
	metrics *tableMetrics
}

var _ Gate = (*Table)(nil)

const shardCount = 64

// shard is a part of the key map. A slot holds a live session, a
// refusal (ban or cached deny) until some time, or a pending first ask.
type shard struct {
	mu sync.RWMutex
	m  map[key]slot
}

type slot struct {
	s      *session
	until  int64 // refusal: unix nanoseconds it lasts until
	banned bool  // the refusal is a ban (limit or kick), not a cached deny
	wait   chan struct{}
}

// actorRef is where the Table spawns session actors.
type actorRef struct {
	root *actor.RootContext
	sup  *actor.PID
}

// New returns an empty Table.
func New(o Options) *Table {
	o.IdleTimeout = or(o.IdleTimeout, DefaultIdleTimeout)
	o.Duration = or(o.Duration, DefaultDuration)
	o.NegativeTTL = or(o.NegativeTTL, DefaultNegativeTTL)
	o.AskTimeout = or(o.AskTimeout, DefaultAskTimeout)
	o.SoftGraceHTTP = or(o.SoftGraceHTTP, 90*time.Second)
	o.SoftGraceConn = or(o.SoftGraceConn, 30*time.Second)
	t := &Table{o: o, log: o.Logger, keys: newKeyer()}
	if t.log == nil {
		t.log = slog.Default()
	}
	for i := range t.shards {
		t.shards[i].m = make(map[key]slot)
	}
	t.users.m = make(map[string][]*session)
	t.metrics = newTableMetrics(t)
	return t
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Close unregisters the Table's metrics.
func (t *Table) Close() { t.metrics.close() }

func (t *Table) shard(k key) *shard { return &t.shards[k[0]%shardCount] }

// Admit implements Gate. A known, allowed session is a hash and a map
// lookup; a new one asks the stream's policy (see open).
func (t *Table) Admit(ctx context.Context, v Viewer) Admission {
	p := t.policy(v.Stream)
	var keys []string
	if p != nil {
		keys = p.Limits().SessionKeys
	}
	k := t.keys.of(&v, keys, v.Token)
	sh := t.shard(k)
	for {
		sh.mu.RLock()
		sl, ok := sh.m[k]
		sh.mu.RUnlock()
		now := time.Now()
		switch {
		case !ok:
			return t.open(ctx, &v, p, keys, k, now)
		case sl.s != nil && !sl.s.isEnded():
			sl.s.touch(now)
			return Admission{Verdict: auth.Allow, Ticket: sl.s, ChildQuery: sl.s.child}
		case sl.wait != nil:
			select {
			case <-sl.wait: // decided: look again
			case <-ctx.Done():
				return Admission{Verdict: auth.Deny}
			}
		case sl.s == nil && sl.until > now.UnixNano():
			t.metrics.refused(sl.banned)
			return Admission{Verdict: auth.Deny}
		default:
			t.clearStale(sh, k, sl)
		}
	}
}

// clearStale removes an expired refusal or an ended session's slot, if
// it is still the one the caller saw.
func (t *Table) clearStale(sh *shard, k key, seen slot) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if cur, ok := sh.m[k]; ok && cur == seen {
		delete(sh.m, k)
	}
}

func (t *Table) policy(stream string) auth.Policy {
	if t.o.Policies == nil {
		return nil
	}
	return t.o.Policies.Play(stream)
}

func (t *Table) config() *config.Server {
	if t.o.Config == nil {
		return nil
	}
	return t.o.Config()
}

// attach makes the Table spawn session actors under sup.
func (t *Table) attach(root *actor.RootContext, sup *actor.PID) {
	t.actors.Store(&actorRef{root: root, sup: sup})
}

// detach stops spawning session actors (the supervisor stopped).
func (t *Table) detach() { t.actors.Store(nil) }
