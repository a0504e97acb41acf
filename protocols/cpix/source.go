package cpix

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"streamhive/media/drm"
)

// maxCached bounds the periods a Source remembers: the current and next
// ones and, for archive playback, the most recently asked past ones.
const maxCached = 256

// Fetcher gets the keys of spans; Client.Fetch is one.
type Fetcher func(ctx context.Context, spans []Span) ([]drm.Key, error)

// Source is a drm.KeySource over a key server. Refresh (the key actor's
// timer) keeps the current and next periods' keys, so a rotation finds
// its key already there; KeyAt answers the live edge from memory only.
// With the server down, the keys already held still protect their
// periods and a period without one fails closed (drm.ErrUnavailable).
type Source struct {
	fetch  Fetcher
	period time.Duration // 0: the key never rotates

	mu      sync.RWMutex
	keys    map[int64]drm.Key
	lastErr error

	pastMu sync.Mutex // one archive fetch at a time
}

// NewSource makes a Source rotating keys every period (0: never).
func NewSource(fetch Fetcher, period time.Duration) *Source {
	return &Source{fetch: fetch, period: period, keys: map[int64]drm.Key{}}
}

// Period is the rotation period (0: none).
func (s *Source) Period() time.Duration { return s.period }

// KeyAt returns the key protecting media recorded at t. The current and
// next periods come from memory; an earlier one (archive) is fetched once
// and remembered.
func (s *Source) KeyAt(t time.Time) (drm.Key, error) {
	span := SpanAt(t, s.period)
	if k, ok := s.cached(span.Index); ok {
		return k, nil
	}
	now := SpanAt(time.Now(), s.period)
	if span.Index >= now.Index {
		return drm.Key{}, s.unavailable(span)
	}
	return s.fetchPast(span)
}

func (s *Source) cached(i int64) (drm.Key, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	k, ok := s.keys[i]
	return k, ok
}

func (s *Source) unavailable(span Span) error {
	s.mu.RLock()
	cause := s.lastErr
	s.mu.RUnlock()
	if cause == nil {
		cause = errors.New("not fetched yet")
	}
	if span.Rotating() {
		return fmt.Errorf("%w: period from %s: %w", drm.ErrUnavailable, span.From.Format(time.RFC3339), cause)
	}
	return fmt.Errorf("%w: %w", drm.ErrUnavailable, cause)
}

func (s *Source) fetchPast(span Span) (drm.Key, error) {
	s.pastMu.Lock()
	defer s.pastMu.Unlock()
	if k, ok := s.cached(span.Index); ok {
		return k, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	keys, err := s.fetch(ctx, []Span{span})
	if err != nil {
		return drm.Key{}, fmt.Errorf("%w: %w", drm.ErrUnavailable, err)
	}
	s.store(keys, span.Index)
	return keys[0], nil
}

// Refresh fetches whichever of the current and next periods' keys are
// not held, in one request. It returns (and remembers, for KeyAt's
// errors) the failure, or nil.
func (s *Source) Refresh(ctx context.Context, now time.Time) error {
	cur := SpanAt(now, s.period)
	spans := []Span{cur}
	if s.period > 0 {
		spans = append(spans, SpanOf(cur.Index+1, s.period))
	}
	var want []Span
	for _, sp := range spans {
		if _, ok := s.cached(sp.Index); !ok {
			want = append(want, sp)
		}
	}
	if len(want) == 0 {
		// Nothing asked, nothing learnt: the last word on the key
		// server stands until Check or a fetch says otherwise.
		return s.Err()
	}
	keys, err := s.fetch(ctx, want)
	s.setErr(err)
	if err != nil {
		return err
	}
	s.store(keys, cur.Index)
	return nil
}

// Check asks the key server for the current and next periods' keys even
// when they are held, so that a server gone down is noticed while the
// held keys still protect (a key that never rotates is never asked for
// again by Refresh). Keys already held are kept: media encrypted with
// them is out there; a server answering another key for a held period is
// a failure. It returns (and remembers) the failure, or nil.
func (s *Source) Check(ctx context.Context, now time.Time) error {
	cur := SpanAt(now, s.period)
	spans := []Span{cur}
	if s.period > 0 {
		spans = append(spans, SpanOf(cur.Index+1, s.period))
	}
	keys, err := s.fetch(ctx, spans)
	if err == nil {
		err = s.sameAsHeld(keys)
	}
	s.setErr(err)
	if err != nil {
		return err
	}
	s.store(keys, cur.Index)
	return nil
}

// sameAsHeld fails when keys give a held period another key (an equal
// one may replace it: same id, same bytes).
func (s *Source) sameAsHeld(keys []drm.Key) error {
	for _, k := range keys {
		held, ok := s.cached(SpanAt(k.From, s.period).Index)
		if ok && (held.KID != k.KID || held.Key != k.Key) {
			return fmt.Errorf("key server answered another key for the period from %s, whose key is in use",
				k.From.Format(time.RFC3339))
		}
	}
	return nil
}

func (s *Source) setErr(err error) {
	s.mu.Lock()
	s.lastErr = err
	s.mu.Unlock()
}

// Err is the last refresh's failure, or nil.
func (s *Source) Err() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.lastErr
}

// store keeps keys, dropping the period furthest from keep when over the bound.
func (s *Source) store(keys []drm.Key, keep int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		s.keys[SpanAt(k.From, s.period).Index] = k
	}
	for len(s.keys) > maxCached {
		far, dist := int64(0), int64(-1)
		for i := range s.keys {
			if d := max(i-keep, keep-i); d > dist {
				far, dist = i, d
			}
		}
		delete(s.keys, far)
	}
}

var _ drm.KeySource = (*Source)(nil)
