package api

import (
	"encoding/json"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"

	"streamhive/actors/config"
)

// snapshot indexes one immutable configuration for the API's reads: items
// by name, the default list order, and each item's JSON, made once on
// first use. It is rebuilt when Control.Config returns a different
// pointer, which makes a read after a write see the write, and a read
// between writes cost no marshalling of the config at all.
type snapshot struct {
	cfg       *config.Server
	dyn       *[]config.Stream // Control.DynamicStreams when it was built
	streams   *collection
	templates *collection
	dvrs      *collection
	vods      *collection // VOD locations, by prefix
	allowed   allowList   // api_allowed_from, parsed
	backends  *collection // auth_backends
	peers     *collection // cluster/peers, by hostname
	sources   *collection // cluster/sources, by url
	sinks     *collection // event_sinks
	// alerts is server_stats' text_alerts of cfg (textAlerts), found on
	// first use: the configuration is walked once, not per request.
	alerts func() map[string]string

	viewOnce sync.Once
	view     *snapshot // the same configuration with its secrets masked
}

// forViewer returns the snapshot a view-only caller reads: the
// configuration with every secret masked (config.Server.Redacted), built
// on first use. Lists, searches and filters then run over the masked
// values too, so that q= cannot be used to guess a password.
func (s *snapshot) forViewer() *snapshot {
	s.viewOnce.Do(func() {
		var dyn *[]config.Stream
		if s.dyn != nil {
			masked := (&config.Server{Streams: *s.dyn}).Redacted().Streams
			dyn = &masked
		}
		s.view = newSnapshot(s.cfg.Redacted(), dyn)
		s.view.dyn = s.dyn // the key stays the Control's
	})
	return s.view
}

// newSnapshot indexes cfg and the streams templates created for
// publishers (dyn, nil when none), which GET /streams lists beside the
// configured ones while they live.
func newSnapshot(cfg *config.Server, dyn *[]config.Stream) *snapshot {
	s := &snapshot{
		cfg:       cfg,
		dyn:       dyn,
		streams:   &collection{key: "streams", stats: true, defaultSort: []sortKey{{path: []string{"position"}}}},
		templates: &collection{key: "templates"},
		dvrs:      &collection{key: "dvrs"},
		vods:      &collection{key: "vods"},
		allowed:   parseAllowList(cfg.APIAllowedFrom),
		backends:  &collection{key: "auth_backends"},
		peers:     &collection{key: "peers"},
		sources:   &collection{key: "sources"},
		sinks:     &collection{key: "event_sinks"},
		alerts:    sync.OnceValue(func() map[string]string { return textAlerts(cfg) }),
	}
	s.streams.search = [][]string{{"name"}, {"title"}, {"comment"}, {"inputs", "url"}}
	s.templates.search = [][]string{{"name"}, {"prefixes"}}
	s.dvrs.search = [][]string{{"name"}, {"root"}}
	for i := range cfg.Streams {
		s.streams.add(cfg.Streams[i].Name, &cfg.Streams[i])
	}
	if dyn != nil {
		for i := range *dyn {
			if st := &(*dyn)[i]; s.streams.byName[st.Name] == nil {
				s.streams.add(st.Name, st)
			}
		}
	}
	for i := range cfg.Templates {
		s.templates.add(cfg.Templates[i].Name, &cfg.Templates[i])
	}
	for i := range cfg.DVRs {
		s.dvrs.add(cfg.DVRs[i].Name, &cfg.DVRs[i])
	}
	s.vods.search = [][]string{{"prefix"}, {"storages", "url"}}
	for i := range cfg.VODs {
		s.vods.add(cfg.VODs[i].Prefix, &cfg.VODs[i])
	}
	s.backends.search = [][]string{{"name"}, {"backends", "url"}}
	for i := range cfg.AuthBackends {
		s.backends.add(cfg.AuthBackends[i].Name, &cfg.AuthBackends[i])
	}
	s.peers.search = [][]string{{"hostname"}, {"api_url"}}
	for i := range cfg.Peers {
		s.peers.add(cfg.Peers[i].Hostname, &cfg.Peers[i])
	}
	s.sources.search = [][]string{{"url"}}
	for i := range cfg.Sources {
		s.sources.add(cfg.Sources[i].URL, &cfg.Sources[i])
	}
	s.sinks.search = [][]string{{"name"}, {"url"}}
	for i := range cfg.EventSinks {
		s.sinks.add(cfg.EventSinks[i].Name, &cfg.EventSinks[i])
	}
	return s
}

// current returns the snapshot of the configuration in effect now. After
// a change, the first request builds the new index and the requests that
// arrive meanwhile wait for it rather than each building their own.
func (a *API) current() *snapshot {
	cfg, dyn := a.ctl.Config(), a.ctl.DynamicStreams()
	if s := a.snap.Load(); s != nil && s.cfg == cfg && s.dyn == dyn {
		return s
	}
	a.buildMu.Lock()
	defer a.buildMu.Unlock()
	if s := a.snap.Load(); s != nil && s.cfg == cfg && s.dyn == dyn {
		return s
	}
	s := newSnapshot(cfg, dyn)
	a.snap.Store(s)
	return s
}

// collection is one listable kind of item in a snapshot. Read-only after
// newSnapshot, except for the lazily made fields, which are safe for
// concurrent use.
type collection struct {
	key         string     // the list envelope's field: "streams"
	stats       bool       // items carry live stats (streams)
	defaultSort []sortKey  // before the name, which always ends the order
	search      [][]string // paths that q= searches
	entries     []*entry
	byName      map[string]*entry

	orderOnce sync.Once
	order     []cand // entries in default order, with their keys
}

// entry is one item of a collection.
type entry struct {
	name string
	item any // *config.Stream, *config.Template or *config.DVR, into the snapshot
	raw  atomic.Pointer[[]byte]
}

func (c *collection) add(name string, item any) {
	e := &entry{name: name, item: item}
	if c.byName == nil {
		c.byName = make(map[string]*entry)
	}
	c.entries = append(c.entries, e)
	c.byName[name] = e
}

// json returns the item's JSON (without runtime stats, which the model
// has no place for), marshalled on first use.
func (e *entry) json() ([]byte, error) {
	if p := e.raw.Load(); p != nil {
		return *p, nil
	}
	b, err := json.Marshal(e.item)
	if err != nil {
		return nil, err
	}
	e.raw.Store(&b)
	return b, nil
}

// cand is an entry taking part in one list request: its live stats when
// the request needs them, and its sort keys (the name last).
type cand struct {
	e     *entry
	stats *StreamStats
	keys  []scalar
}

// root resolves a path's first step: a stream's "stats" is its live stats,
// anything else is read from the config item.
func (c *collection) root(x *cand, path []string) (reflect.Value, []string) {
	if c.stats && len(path) > 0 && path[0] == "stats" {
		return reflect.ValueOf(x.stats), path[1:]
	}
	return reflect.ValueOf(x.e.item), path
}

// keysOf computes x's sort keys for sort, appending them to keys (which
// lets a caller carve all keys of a request from one allocation).
func (c *collection) keysOf(x *cand, sort []sortKey, keys []scalar) []scalar {
	for _, k := range sort {
		v, p := c.root(x, k.path)
		keys = append(keys, toScalar(first(v, p)))
	}
	return append(keys, scalar{kind: kindStr, s: x.e.name})
}

// defaultOrder returns the entries sorted by the default keys. The slice
// is shared: callers must not modify it or its cands.
func (c *collection) defaultOrder() []cand {
	c.orderOnce.Do(func() {
		order := make([]cand, len(c.entries))
		for i, e := range c.entries {
			order[i] = cand{e: e}
			order[i].keys = c.keysOf(&order[i], c.defaultSort, nil)
		}
		slices.SortFunc(order, func(a, b cand) int { return compareKeys(a.keys, b.keys, c.defaultSort) })
		c.order = order
	})
	return c.order
}

// compareKeys orders two key lists; sort says which keys are descending
// (the trailing name is always ascending).
func compareKeys(a, b []scalar, sort []sortKey) int {
	for i := range min(len(a), len(b)) {
		c := compareScalars(a[i], b[i])
		if i < len(sort) && sort[i].desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}
