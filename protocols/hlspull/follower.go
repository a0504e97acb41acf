package hlspull

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"streamhive/media"
)

// liveStart is how many segments from the live edge playback starts
// (RFC 8216 §6.3.3: no closer than three target durations to the end).
const liveStart = 3

// stallDurations is how many target durations a live playlist may go
// without a new segment before the input fails.
const stallDurations = 3

// fetched is one downloaded media segment, handed from the follower to
// the player in playlist order. Read-only once sent.
type fetched struct {
	seg  Segment
	data []byte
	init []byte // the EXT-X-MAP section (fMP4); nil for MPEG-TS
}

// queue carries fetched segments from the follower's goroutine to the
// player. err is written before ch is closed and read only after.
type queue struct {
	ch  chan *fetched
	err error
}

// next returns the next segment, or once the follower has stopped, why.
func (q *queue) next() (*fetched, error) {
	f, ok := <-q.ch
	if !ok {
		return nil, q.err
	}
	return f, nil
}

// follower reloads one live playlist and downloads its new segments. It is
// used by one goroutine.
type follower struct {
	get     *getter
	url     string // the playlist to reload (the chosen variant's once known)
	variant int    // master playlist entry to follow; -1: the highest bandwidth
	stats   *media.InputStats

	started bool
	next    uint64    // the next sequence number to download
	last    uint64    // the last sequence number listed so far
	moved   time.Time // when last last grew
	initURI string
	init    []byte
}

// run follows the playlist until ctx is done or it fails, sending
// segments to q, then records why in q.err and closes q.ch. It never
// returns nil.
func (f *follower) run(ctx context.Context, q *queue) {
	err := f.follow(ctx, q.ch)
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	q.err = err
	close(q.ch)
}

func (f *follower) follow(ctx context.Context, out chan<- *fetched) error {
	pl, err := f.load(ctx)
	if err != nil {
		return err
	}
	f.moved = time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		before := f.last
		if err := f.take(ctx, pl, out); err != nil {
			return err
		}
		if pl.Ended {
			return ErrEnded
		}
		wait := pl.TargetDuration
		if f.last == before {
			wait /= 2 // §6.3.4: nothing new, ask again sooner
			if time.Since(f.moved) >= stallDurations*pl.TargetDuration {
				return fmt.Errorf("%w: %s: no new segment for %v", ErrStalled, f.url, time.Since(f.moved).Round(time.Millisecond))
			}
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		}
		if pl, err = f.playlist(ctx); err != nil {
			return err
		}
		if pl.Master() {
			return fmt.Errorf("%w: %s turned into a master playlist", ErrUnsupported, f.url)
		}
	}
}

// load fetches the playlist the input names and, for a master playlist,
// chooses a variant and fetches that.
func (f *follower) load(ctx context.Context) (*Playlist, error) {
	pl, err := f.playlist(ctx)
	if err != nil || !pl.Master() {
		return pl, err
	}
	v, err := chooseVariant(pl.Variants, f.variant)
	if err != nil {
		return nil, err
	}
	slog.Debug("hls pull: variant chosen", "master", f.url, "variant", v.URI, "bandwidth", v.Bandwidth)
	f.url = v.URI
	if pl, err = f.playlist(ctx); err != nil {
		return nil, err
	}
	if pl.Master() {
		return nil, fmt.Errorf("%w: %s: a master playlist names another", ErrUnsupported, f.url)
	}
	return pl, nil
}

// chooseVariant returns variants[index], or the highest bandwidth for -1.
func chooseVariant(variants []Variant, index int) (Variant, error) {
	if index >= len(variants) {
		return Variant{}, fmt.Errorf("%w: variant=%d but the master playlist has %d", ErrBadOptions, index, len(variants))
	}
	if index >= 0 {
		return variants[index], nil
	}
	best := variants[0]
	for _, v := range variants[1:] {
		if v.Bandwidth > best.Bandwidth {
			best = v
		}
	}
	return best, nil
}

func (f *follower) playlist(ctx context.Context) (*Playlist, error) {
	body, err := f.get.get(ctx, f.url, maxPlaylist, f.count)
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(f.url)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	pl, err := ParsePlaylist(body, base)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.url, err)
	}
	return pl, nil
}

func (f *follower) count(n int) { f.stats.Bytes.Add(uint64(n)) }

// take downloads the segments of pl not yet taken and sends them. The
// first call starts liveStart segments from the live edge (or at the
// start of an ended playlist).
func (f *follower) take(ctx context.Context, pl *Playlist, out chan<- *fetched) error {
	segs := pl.Segments
	if len(segs) == 0 {
		return nil
	}
	if last := segs[len(segs)-1].Seq; last > f.last || !f.started {
		f.last, f.moved = last, time.Now()
	}
	if !f.started {
		start := 0
		if !pl.Ended {
			start = max(0, len(segs)-liveStart)
		}
		f.next, f.started = segs[start].Seq, true
	}
	for _, s := range segs {
		if s.Seq < f.next {
			continue
		}
		if s.Seq > f.next { // the window moved past segments we never got
			f.stats.Errors.Add(s.Seq - f.next)
			slog.Warn("hls pull: segments skipped", "playlist", f.url, "from", f.next, "to", s.Seq)
		}
		f.next = s.Seq + 1
		seg, err := f.segment(ctx, s)
		var st *statusError
		if errors.As(err, &st) && st.gone() {
			f.stats.Errors.Add(1)
			slog.Warn("hls pull: segment gone", "segment", s.URI, "status", st.status)
			continue
		}
		if err != nil {
			return err
		}
		select {
		case out <- seg:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// segment downloads s and, for fMP4, its init section (kept while
// consecutive segments name the same one). TS bytes are counted by the
// demuxer, which reads them.
func (f *follower) segment(ctx context.Context, s Segment) (*fetched, error) {
	count := f.count
	if s.Map == "" {
		count = func(int) {}
	}
	data, err := f.get.get(ctx, s.URI, maxSegment, count)
	if err != nil {
		return nil, err
	}
	seg := &fetched{seg: s, data: data}
	if s.Map != "" {
		if s.Map != f.initURI {
			if f.init, err = f.get.get(ctx, s.Map, maxPlaylist, f.count); err != nil {
				return nil, err
			}
			f.initURI = s.Map
		}
		seg.init = f.init
	}
	return seg, nil
}
