package drm

import (
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"streamhive/media/dash"
	"streamhive/media/segment"
)

// DASHNamespaces are declared on the MPD element of a protected MPD.
const DASHNamespaces = dashNamespaces

// DASHRotation splits a protected stream's live MPD into one Period per
// content key, as DASH-IF IOP has live key rotation signalled in an MPD:
// each Period carries its key's ContentProtection (default_KID, a pssh per
// system, ClearKey's license URL) and names its key in its init URIs, and
// the Periods signal continuity so players keep playing across a
// rotation. A segment belongs to the key of its recording time (its
// program date time), as the gateway encrypts it. Use it as
// dash.Options.Periods.
type DASHRotation struct {
	Keys       KeySource
	Scheme     Scheme
	LicenseURL string // ClearKey's license URL; "" leaves ClearKey out
	// KeyLicenseURL, when set, gives each key's license URL in place of
	// LicenseURL: an archive's past key is found by the time it names.
	KeyLicenseURL func(Key) string
	// InitQuery names a key in its Period's init URIs ("drm_at=..."); ""
	// for a key that needs no name.
	InitQuery func(Key) string
	// Starts keeps each Period's start once chosen (one per stream).
	Starts *PeriodStarts
}

// Periods implements dash.Options.Periods. A key that cannot be had fails
// the whole MPD (wrapping ErrUnavailable): nothing is listed clear.
func (r DASHRotation) Periods(segs []*segment.Segment) ([]dash.Period, error) {
	var out []dash.Period
	var listed []periodKey
	var last [16]byte
	for i, s := range segs {
		k, err := r.Keys.KeyAt(s.ProgramDateTime)
		if err != nil {
			return nil, err
		}
		if i > 0 && k.KID == last {
			p := &out[len(out)-1]
			p.Segments = append(p.Segments, s)
			continue
		}
		last = k.KID
		epoch := 0
		if s.Init != nil {
			epoch = s.Init.Epoch
		}
		// A later Period starts with its first segment; the first one's
		// first segment may have left the window, so it starts where it
		// started before, or at its key's start on the timeline.
		start := s.DTS
		if i == 0 {
			start = keyStart(k, s)
		}
		pk := periodKey{epoch, k.KID}
		listed = append(listed, pk)
		p := dash.Period{
			ID:          pk.id(),
			Start:       r.Starts.keep(pk, start),
			Segments:    []*segment.Segment{s},
			Descriptors: DASHContentProtection(k, r.Scheme, r.licenseURL(k), "      "),
		}
		if r.InitQuery != nil {
			p.InitQuery = r.InitQuery(k)
		}
		out = append(out, p)
	}
	r.Starts.prune(listed)
	return out, nil
}

func (r DASHRotation) licenseURL(k Key) string {
	if r.KeyLicenseURL != nil {
		return r.KeyLicenseURL(k)
	}
	return r.LicenseURL
}

// keyStart is where k's Period starts on s's timeline when s is the first
// segment of it known: k's start, no later than s, no earlier than zero.
func keyStart(k Key, s *segment.Segment) time.Duration {
	if k.From.IsZero() || !k.From.Before(s.ProgramDateTime) {
		return s.DTS
	}
	return max(s.DTS-s.ProgramDateTime.Sub(k.From), 0)
}

// PeriodStarts remembers the start chosen for each key's Period of a
// stream, so it stays the same in every MPD update while the Period is
// listed (players match Periods by id and start). Safe for concurrent use;
// it holds the Periods of one window.
type PeriodStarts struct {
	mu     sync.Mutex
	starts map[periodKey]time.Duration
}

type periodKey struct {
	epoch int
	kid   [16]byte
}

// id is the Period's id: its epoch and the start of its key id.
func (k periodKey) id() string {
	return fmt.Sprintf("%d-%s", k.epoch, hex.EncodeToString(k.kid[:8]))
}

// keep returns the start kept for k, keeping start when there is none.
func (ps *PeriodStarts) keep(k periodKey, start time.Duration) time.Duration {
	if ps == nil {
		return start
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if s, ok := ps.starts[k]; ok {
		return s
	}
	if ps.starts == nil {
		ps.starts = make(map[periodKey]time.Duration)
	}
	ps.starts[k] = start
	return start
}

// maxKeptStarts bounds PeriodStarts: past it, the Periods no longer
// listed are forgotten.
const maxKeptStarts = 64

func (ps *PeriodStarts) prune(listed []periodKey) {
	if ps == nil {
		return
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if len(ps.starts) <= maxKeptStarts {
		return
	}
	keep := make(map[periodKey]time.Duration, len(listed))
	for _, k := range listed {
		if s, ok := ps.starts[k]; ok {
			keep[k] = s
		}
	}
	ps.starts = keep
}
