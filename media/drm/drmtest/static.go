// Package drmtest holds a KeySource for tests: keys derived from a seed,
// rotating at a fixed period, that can be switched off to stand for a key
// server that is down.
package drmtest

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sync/atomic"
	"time"

	"streamhive/media/drm"
)

// Static is a drm.KeySource whose key of a time is the seed's key of the
// period holding it. The zero Period means one key for all time.
type Static struct {
	Seed    string
	Period  time.Duration
	Signals []drm.Signal // copied into every key
	down    atomic.Bool
}

// New returns a source of one key for all time.
func New(seed string) *Static { return &Static{Seed: seed} }

// SetDown makes KeyAt fail (true) or answer again (false).
func (s *Static) SetDown(down bool) { s.down.Store(down) }

// KeyAt implements drm.KeySource.
func (s *Static) KeyAt(t time.Time) (drm.Key, error) {
	if s.down.Load() {
		return drm.Key{}, fmt.Errorf("drmtest: source is down: %w", drm.ErrUnavailable)
	}
	var n int64
	var from, until time.Time
	if s.Period > 0 {
		n = t.UnixNano() / int64(s.Period)
		from = time.Unix(0, n*int64(s.Period))
		until = from.Add(s.Period)
	}
	return s.Key(n, from, until), nil
}

// Key returns the key of period n (0 when Period is zero).
func (s *Static) Key(n int64, from, until time.Time) drm.Key {
	var num [8]byte
	binary.BigEndian.PutUint64(num[:], uint64(n))
	kid := sha256.Sum256(append([]byte("kid:"+s.Seed), num[:]...))
	key := sha256.Sum256(append([]byte("key:"+s.Seed), num[:]...))
	k := drm.Key{From: from, Until: until, Signals: append([]drm.Signal(nil), s.Signals...)}
	copy(k.KID[:], kid[:16])
	copy(k.Key[:], key[:16])
	return k
}
