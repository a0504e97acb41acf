package server

import (
	"context"
	"net/http"
	"net/netip"
	"sync/atomic"

	"streamhive/actors/auth"
	"streamhive/actors/config"
)

// Policies returns the play and publish protection of every stream under
// the running configuration: the auth.Book of the snapshot in effect. On
// the hot path it is an atomic load and a pointer compare; the Book is
// rebuilt only when the snapshot changed (the config owner builds it while
// validating the change, see book.prepare, so the first viewer after a
// change does not pay for it).
func (s *Server) Policies() auth.Policies { return s.books.get() }

// country maps ip to its country with the running configuration's geoip
// database ("" without one): what a viewer session records.
func (s *Server) country(ip netip.Addr) string {
	if b, ok := s.books.get().(*auth.Book); ok {
		return b.Country(ip)
	}
	return ""
}

// books holds the Book of the configuration in effect. Every Book shares
// one HTTP client, so reloads keep the connections to the backends.
type books struct {
	snapshot *atomic.Pointer[config.Server]
	client   *http.Client
	cur      atomic.Pointer[bookOf]
}

// bookOf is a Book and the snapshot it was built from.
type bookOf struct {
	cfg  *config.Server
	book auth.Policies
}

func newBooks(snapshot *atomic.Pointer[config.Server]) *books {
	return &books{snapshot: snapshot, client: auth.NewHTTPClient()}
}

// prepare builds cfg's Book, keeps it for when cfg is published, and
// returns the error that must refuse cfg (config.ErrInvalid). The config
// owner calls it on every reload and API write before publishing.
func (b *books) prepare(cfg *config.Server) error {
	book, err := auth.NewBook(cfg, auth.Options{HTTPClient: b.client})
	if err != nil {
		return err
	}
	b.cur.Store(&bookOf{cfg: cfg, book: book})
	return nil
}

func (b *books) get() auth.Policies {
	cfg := b.snapshot.Load()
	if c := b.cur.Load(); c != nil && c.cfg == cfg {
		return c.book
	}
	if err := b.prepare(cfg); err != nil {
		// The snapshot was validated with the same check; it can fail
		// only if a file it names changed since (the geoip database).
		// Never run open what the operator protected: deny everything
		// until the next change.
		b.cur.Store(&bookOf{cfg: cfg, book: denyAll{}})
	}
	return b.cur.Load().book
}

// denyAll protects every stream with a policy that denies.
type denyAll struct{}

func (denyAll) Play(string) auth.Policy    { return denied{} }
func (denyAll) Publish(string) auth.Policy { return denied{} }

type denied struct{}

func (denied) Check(context.Context, auth.Request) auth.Decision {
	return auth.Decision{Verdict: auth.Deny, Duration: auth.DefaultAuthDuration, Reason: "protection unavailable"}
}
func (denied) Limits() auth.Limits { return auth.Limits{} }
