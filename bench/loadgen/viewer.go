package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// tsSync is the first byte of every MPEG-TS packet.
const tsSync = 0x47

// errRetry marks an answer a player retries: not ready yet, or nothing to
// play so far.
var errRetry = errors.New("loadgen: not ready")

// counters are shared by every viewer of a run. Snapshots taken at the
// edges of a measurement window give that window's figures.
type counters struct {
	segments  atomic.Int64 // segments fetched whole, status 200, starting with a TS sync byte
	segErrors atomic.Int64 // segment requests that failed in any way
	playlists atomic.Int64 // media playlist fetches that parsed
	plErrors  atomic.Int64 // media playlist fetches that failed
	missed    atomic.Int64 // segments that left the window before the viewer got to them
	bytes     atomic.Int64 // segment bytes read
}

type counts struct{ segments, segErrors, playlists, plErrors, missed, bytes int64 }

func (c *counters) snapshot() counts {
	return counts{c.segments.Load(), c.segErrors.Load(), c.playlists.Load(), c.plErrors.Load(), c.missed.Load(), c.bytes.Load()}
}

func (a counts) sub(b counts) counts {
	return counts{
		segments: a.segments - b.segments, segErrors: a.segErrors - b.segErrors,
		playlists: a.playlists - b.playlists, plErrors: a.plErrors - b.plErrors,
		missed: a.missed - b.missed, bytes: a.bytes - b.bytes,
	}
}

// viewer behaves like an HLS player on a live MPEG-TS stream: it resolves
// the master playlist to its first variant, reloads that media playlist
// every target duration, and fetches each new segment once, starting three
// segments from the live edge.
type viewer struct {
	client *http.Client
	master string
	c      *counters
}

// liveEdge is how many segments from the end a player starts.
const liveEdge = 3

func (v *viewer) run(ctx context.Context) {
	media, err := v.variant(ctx)
	if err != nil {
		return // ctx ended before the stream was playable
	}
	next := int64(-1)
	for ctx.Err() == nil {
		t0 := time.Now()
		wait := time.Second
		pl, err := fetchMedia(ctx, v.client, media)
		switch {
		case err != nil:
			if ctx.Err() == nil {
				v.c.plErrors.Add(1)
			}
		default:
			v.c.playlists.Add(1)
			wait = pl.Target
			next = v.fetchNew(ctx, media, pl, next)
			if pl.Ended {
				return
			}
		}
		sleep(ctx, time.Until(t0.Add(wait)))
	}
}

// fetchNew gets the segments of pl from sequence number next on and returns
// the number after the last one listed.
func (v *viewer) fetchNew(ctx context.Context, media string, pl mediaPlaylist, next int64) int64 {
	first, end := pl.Sequence, pl.Sequence+int64(len(pl.Segments))
	if next < 0 {
		next = max(first, end-liveEdge)
	}
	if next < first {
		v.c.missed.Add(first - next)
		next = first
	}
	for ; next < end && ctx.Err() == nil; next++ {
		u, err := resolve(media, pl.Segments[next-first])
		if err == nil {
			var n int64
			n, err = fetchSegment(ctx, v.client, u)
			v.c.bytes.Add(n)
		}
		switch {
		case err == nil:
			v.c.segments.Add(1)
		case ctx.Err() == nil:
			v.c.segErrors.Add(1)
		}
	}
	return next
}

// variant polls the master playlist until it names a variant (or is a
// media playlist itself) and returns the media playlist's URL.
func (v *viewer) variant(ctx context.Context) (string, error) {
	for {
		u, err := mediaURL(ctx, v.client, v.master)
		if err == nil {
			return u, nil
		}
		if !sleep(ctx, time.Second) {
			return "", ctx.Err()
		}
	}
}

// mediaURL reads the master playlist once and returns its first variant.
func mediaURL(ctx context.Context, client *http.Client, master string) (string, error) {
	body, err := get(ctx, client, master)
	if err != nil {
		return "", err
	}
	pl, err := parsePlaylist(string(body))
	if err != nil {
		return "", err
	}
	if len(pl.Variants) == 0 {
		return master, nil
	}
	return resolve(master, pl.Variants[0])
}

// fetchMedia reads and parses a media playlist.
func fetchMedia(ctx context.Context, client *http.Client, u string) (mediaPlaylist, error) {
	body, err := get(ctx, client, u)
	if err != nil {
		return mediaPlaylist{}, err
	}
	pl, err := parsePlaylist(string(body))
	if err != nil {
		return mediaPlaylist{}, err
	}
	if len(pl.Variants) > 0 || pl.Media.Target <= 0 {
		return mediaPlaylist{}, fmt.Errorf("%w: %s is not a media playlist", ErrBadPlaylist, u)
	}
	return pl.Media, nil
}

// get returns the body of a 200 answer; any other status is errRetry.
func get(ctx context.Context, client *http.Client, u string) ([]byte, error) {
	resp, err := request(ctx, client, u)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return body, nil
}

// fetchSegment reads a segment whole and checks that it is MPEG-TS. It
// returns the bytes read.
func fetchSegment(ctx context.Context, client *http.Client, u string) (int64, error) {
	resp, err := request(ctx, client, u)
	if err != nil {
		return 0, err
	}
	defer func() { _ = resp.Body.Close() }()
	br := bufio.NewReader(resp.Body)
	b, err := br.Peek(1)
	if err != nil || b[0] != tsSync {
		_, _ = io.Copy(io.Discard, br)
		return 0, fmt.Errorf("%w: %s is not MPEG-TS", ErrBadPlaylist, u)
	}
	return io.Copy(io.Discard, br)
}

// request sends a GET; a status other than 200 closes the body and is an
// errRetry.
func request(ctx context.Context, client *http.Client, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return nil, fmt.Errorf("%w: %s: %s", errRetry, u, resp.Status)
	}
	return resp, nil
}

// sleep waits d or until ctx ends; it reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// awaitPlayable polls master every interval until the first segment its
// first variant lists can be fetched as MPEG-TS, and returns that instant.
func awaitPlayable(ctx context.Context, client *http.Client, master string, interval time.Duration) (time.Time, error) {
	for {
		if playable(ctx, client, master) {
			return time.Now(), nil
		}
		if !sleep(ctx, interval) {
			return time.Time{}, ctx.Err()
		}
	}
}

func playable(ctx context.Context, client *http.Client, master string) bool {
	media, err := mediaURL(ctx, client, master)
	if err != nil {
		return false
	}
	pl, err := fetchMedia(ctx, client, media)
	if err != nil || len(pl.Segments) == 0 {
		return false
	}
	u, err := resolve(media, pl.Segments[0])
	if err != nil {
		return false
	}
	_, err = fetchSegment(ctx, client, u)
	return err == nil
}
