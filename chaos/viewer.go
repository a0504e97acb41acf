package chaos

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Segment is one media segment as the viewer saw it.
type Segment struct {
	MSN      int
	URI      string
	Appeared time.Time     // when the viewer first saw it listed
	Duration time.Duration // its EXTINF
	// Times are its video presentation times (VideoTimes).
	Times         []time.Duration
	Discontinuity bool // EXT-X-DISCONTINUITY before it
}

// Viewer follows a live HLS stream the way a player does: it reloads the
// media playlist every Poll, downloads every segment that appears (in
// media sequence order) and parses its video timestamps. It notes every
// event that would make a real player reload or give up: a playlist or
// segment that cannot be fetched, a media sequence number that goes
// backwards. Safe for concurrent use.
type Viewer struct {
	URL  string        // the master or the media playlist
	Poll time.Duration // 0 means 100 ms

	client http.Client

	mu      sync.Mutex
	media   string // the media playlist's URL, resolved from URL
	segs    []Segment
	reloads []Event
	skipped int // segments that left the window before the viewer saw them
	lastMSN int // the newest MSN seen; -1 before any
	lastSeq int // the last playlist's EXT-X-MEDIA-SEQUENCE; -1 before any
}

// Event is something that happened to the viewer, at a time.
type Event struct {
	At   time.Time
	What string
}

// Run follows the stream until ctx is done.
func (v *Viewer) Run(ctx context.Context) {
	poll := v.Poll
	if poll <= 0 {
		poll = 100 * time.Millisecond
	}
	v.mu.Lock()
	v.lastMSN, v.lastSeq = -1, -1
	v.mu.Unlock()
	v.client.Timeout = 2 * time.Second
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		v.reload(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// reload fetches the media playlist once and downloads what is new.
func (v *Viewer) reload(ctx context.Context) {
	now := time.Now()
	media, err := v.mediaURL(ctx)
	if err != nil {
		v.note(now, err.Error())
		return
	}
	body, err := v.get(ctx, media)
	if err != nil {
		v.note(now, "playlist: "+err.Error())
		return
	}
	pl, err := parseMedia(body)
	if err != nil {
		v.note(now, "playlist: "+err.Error())
		return
	}
	v.mu.Lock()
	if v.lastSeq >= 0 && pl.seq < v.lastSeq {
		v.reloads = append(v.reloads, Event{now, fmt.Sprintf("media sequence went back from %d to %d", v.lastSeq, pl.seq)})
		v.lastMSN = pl.seq - 1 // a player would start over
	}
	v.lastSeq = pl.seq
	last := v.lastMSN
	v.mu.Unlock()
	for _, s := range pl.segs {
		if s.MSN <= last {
			continue
		}
		if last >= 0 && s.MSN > last+1 {
			v.mu.Lock()
			v.skipped += s.MSN - last - 1
			v.mu.Unlock()
		}
		last = s.MSN
		s.Appeared = now
		data, err := v.get(ctx, resolve(media, s.URI))
		if err != nil {
			v.note(now, fmt.Sprintf("segment %d: %v", s.MSN, err))
		} else if s.Times, err = VideoTimes(data); err != nil {
			v.note(now, fmt.Sprintf("segment %d: %v", s.MSN, err))
		}
		v.mu.Lock()
		v.segs = append(v.segs, s)
		v.lastMSN = last
		v.mu.Unlock()
	}
}

// note records a reload-worthy event, unless the viewer is stopping.
func (v *Viewer) note(at time.Time, what string) {
	if strings.Contains(what, context.Canceled.Error()) {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.reloads = append(v.reloads, Event{at, what})
}

// mediaURL resolves the media playlist once: URL itself, or the first
// variant of a master playlist.
func (v *Viewer) mediaURL(ctx context.Context) (string, error) {
	v.mu.Lock()
	m := v.media
	v.mu.Unlock()
	if m != "" {
		return m, nil
	}
	body, err := v.get(ctx, v.URL)
	if err != nil {
		return "", fmt.Errorf("master playlist: %w", err)
	}
	m = v.URL
	if variant, ok := firstVariant(body); ok {
		m = resolve(v.URL, variant)
	}
	v.mu.Lock()
	v.media = m
	v.mu.Unlock()
	return m, nil
}

func (v *Viewer) get(ctx context.Context, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := v.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return io.ReadAll(resp.Body)
}

// Segments returns a copy of the segments seen so far.
func (v *Viewer) Segments() []Segment {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]Segment(nil), v.segs...)
}

// Reloads returns the events that would have made a player reload.
func (v *Viewer) Reloads() []Event {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]Event(nil), v.reloads...)
}

// Skipped is the number of segments that left the playlist before the
// viewer saw them.
func (v *Viewer) Skipped() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.skipped
}

// mediaPlaylist is what the viewer needs of a media playlist.
type mediaPlaylist struct {
	seq  int
	segs []Segment
}

// parseMedia reads EXT-X-MEDIA-SEQUENCE, EXTINF, EXT-X-DISCONTINUITY and
// the segment URIs (RFC 8216 §4.3).
func parseMedia(body []byte) (mediaPlaylist, error) {
	var pl mediaPlaylist
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	if !sc.Scan() || strings.TrimSpace(sc.Text()) != "#EXTM3U" {
		return pl, fmt.Errorf("not a playlist")
	}
	var dur time.Duration
	disc := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "#EXT-X-MEDIA-SEQUENCE:"):
			n, err := strconv.Atoi(strings.TrimPrefix(line, "#EXT-X-MEDIA-SEQUENCE:"))
			if err != nil {
				return pl, fmt.Errorf("bad media sequence %q", line)
			}
			pl.seq = n
		case strings.HasPrefix(line, "#EXTINF:"):
			secs, _, _ := strings.Cut(strings.TrimPrefix(line, "#EXTINF:"), ",")
			f, err := strconv.ParseFloat(secs, 64)
			if err != nil {
				return pl, fmt.Errorf("bad EXTINF %q", line)
			}
			dur = time.Duration(f * float64(time.Second))
		case line == "#EXT-X-DISCONTINUITY":
			disc = true
		case line != "" && !strings.HasPrefix(line, "#"):
			pl.segs = append(pl.segs, Segment{MSN: pl.seq + len(pl.segs), URI: line, Duration: dur, Discontinuity: disc})
			dur, disc = 0, false
		}
	}
	return pl, sc.Err()
}

// firstVariant returns the URI after the first EXT-X-STREAM-INF.
func firstVariant(body []byte) (string, bool) {
	lines := strings.Split(string(body), "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "#EXT-X-STREAM-INF") && i+1 < len(lines) {
			return strings.TrimSpace(lines[i+1]), true
		}
	}
	return "", false
}

// resolve resolves ref against base (RFC 3986).
func resolve(base, ref string) string {
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}
