package main

import (
	"context"

	"streamhive/bench/internal/benchkit"
	"streamhive/media"
)

// client is every viewer's HTTP client (benchkit's: one keep-alive
// connection per viewer).
var client = benchkit.Client

// playHLS plays index.m3u8's first rendition (benchkit.PlayHLS: playlist
// reloads every second, each new segment downloaded once), counting
// segments as its media units.
func playHLS(ctx context.Context, srv *server, got *media.InputStats) error {
	return benchkit.PlayHLS(ctx, srv.urls.hls, got)
}

// ignoreEnd drops err when ctx ended: the viewer was stopped, it did not
// fail.
func ignoreEnd(ctx context.Context, err error) error { return benchkit.IgnoreEnd(ctx, err) }
