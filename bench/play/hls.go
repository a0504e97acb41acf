package main

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

// hlsReload is how often the HLS viewer reloads its media playlist: about
// half the target duration, as players do.
const hlsReload = time.Second

// client is every HLS viewer's: one keep-alive connection per viewer
// (the default keeps 2 idle per host, so 100 viewers would reconnect on
// every request).
var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 10_000}}

// playHLS plays index.m3u8's first rendition: it reloads the media
// playlist and downloads each segment it has not downloaded yet, counting
// segments as its media units.
func playHLS(ctx context.Context, srv *server, got *media.InputStats) error {
	base := srv.urls.hls[:strings.LastIndex(srv.urls.hls, "/")+1]
	master, err := fetch(ctx, srv.urls.hls, got)
	if err != nil {
		return err
	}
	uris := playlistURIs(master)
	if len(uris) == 0 {
		return errors.New("hls: the master playlist lists no rendition")
	}
	media := base + uris[0]
	seen := map[string]bool{}
	for {
		pl, err := fetch(ctx, media, got)
		if err != nil {
			return ignoreEnd(ctx, err)
		}
		for _, u := range playlistURIs(pl) {
			if seen[u] {
				continue
			}
			seen[u] = true
			if _, err := fetch(ctx, base+u, got); err != nil {
				return ignoreEnd(ctx, err)
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

// playlistURIs returns a playlist's URI lines, without the query.
func playlistURIs(pl []byte) []string {
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

func fetch(ctx context.Context, url string, got *media.InputStats) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
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

// ignoreEnd drops err when ctx ended: the viewer was stopped, it did not
// fail.
func ignoreEnd(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil //nolint:nilerr // the run ended the viewer
	}
	return err
}
