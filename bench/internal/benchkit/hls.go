package benchkit

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"streamhive/media"
)

// hlsReload is how often an HLS viewer reloads its media playlist: about
// half the target duration, as players do.
const hlsReload = time.Second

// liveStart is how many segments from the live edge a viewer starts: the
// three target durations the HLS specification asks of players.
const liveStart = 3

// Client is every benchmark viewer's HTTP client: one keep-alive
// connection per viewer (the default keeps 2 idle per host, so 100
// viewers would reconnect on every request).
var Client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 10_000}}

// PlayHLS plays the master playlist at master's first rendition: it
// reloads the media playlist and downloads each segment it has not
// downloaded yet, adding the bytes to got.Bytes and each segment to
// got.Frames (its media units). It starts liveStart segments from the
// live edge, as players do: a viewer that began with the oldest segment
// of the window would, with many others starting at once, download the
// whole window while it slides away. It returns nil when ctx ended it.
func PlayHLS(ctx context.Context, master string, got *media.InputStats) error {
	base := master[:strings.LastIndex(master, "/")+1]
	pl, err := Fetch(ctx, master, got)
	if err != nil {
		return IgnoreEnd(ctx, err)
	}
	uris := PlaylistURIs(pl)
	if len(uris) == 0 {
		return errors.New("hls: the master playlist lists no rendition")
	}
	rendition := base + uris[0]
	seen := map[string]bool{}
	for first := true; ; first = false {
		pl, err := Fetch(ctx, rendition, got)
		if err != nil {
			return IgnoreEnd(ctx, err)
		}
		segments := PlaylistURIs(pl)
		if first {
			for _, u := range segments[:max(len(segments)-liveStart, 0)] {
				seen[u] = true
			}
		}
		listed := time.Now()
		for _, u := range segments {
			if seen[u] {
				continue
			}
			seen[u] = true
			if _, err := Fetch(ctx, base+u, got); err != nil {
				// How late the viewer asked tells a slow client from a
				// server that lists what it no longer has.
				return IgnoreEnd(ctx, fmt.Errorf("%w (listed %v before)", err, time.Since(listed).Round(time.Millisecond)))
			}
			got.Frames.Add(1)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(hlsReload):
		}
	}
}

// PlaylistURIs returns a playlist's URI lines.
func PlaylistURIs(pl []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(pl))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// Fetch GETs url with Client, adding the body's length to got.Bytes; a
// status other than 200 is an error.
func Fetch(ctx context.Context, url string, got *media.InputStats) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	got.Bytes.Add(uint64(len(b)))
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return b, err
}

// IgnoreEnd drops err when ctx ended: the viewer was stopped, it did not
// fail.
func IgnoreEnd(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil //nolint:nilerr // the run ended the viewer
	}
	return err
}
