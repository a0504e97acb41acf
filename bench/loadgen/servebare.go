package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"github.com/valyala/fasthttp"
)

// The bare server: fasthttp answering a segment and a playlist from
// memory, with nothing else on the path, is the ceiling a Go server on
// fasthttp can reach per core. It runs as this program started again with
// -bare-serve, so that it can be pinned to the server's CPU.
const (
	barePlaylist = "/bare/playlist.m3u8"
	bareSegment  = "/bare/segment.m4s"
)

// serveBare answers barePlaylist and bareSegment on addr with the bytes of
// the two files, until the process is stopped.
func serveBare(addr, playlistFile, segmentFile string) error {
	pl, err := os.ReadFile(playlistFile)
	if err != nil {
		return err
	}
	seg, err := os.ReadFile(segmentFile)
	if err != nil {
		return err
	}
	h := func(rc *fasthttp.RequestCtx) {
		switch string(rc.Path()) {
		case barePlaylist:
			rc.SetContentType("application/vnd.apple.mpegurl")
			rc.Response.SetBodyRaw(pl)
		case bareSegment:
			rc.SetContentType("video/iso.segment")
			rc.Response.SetBodyRaw(seg)
		default:
			rc.SetStatusCode(fasthttp.StatusNotFound)
		}
	}
	return fasthttp.ListenAndServe(addr, h)
}

// startBare launches the bare server on cpus with the playlist and the
// segment a StreamHive run served.
func startBare(ctx context.Context, cpus, dir string, playlist, segment []byte) (*target, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	plFile, segFile := filepath.Join(dir, "playlist.m3u8"), filepath.Join(dir, "segment.m4s")
	if err := os.WriteFile(plFile, playlist, 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(segFile, segment, 0o644); err != nil {
		return nil, err
	}
	port, _, err := freePorts()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	base := "http://" + addr
	p, err := launchOn(ctx, cpus, "bare", dir, exe, []string{"-bare-serve", addr, "-bare-playlist", plFile, "-bare-segment", segFile}, func() bool {
		return httpOK(base + barePlaylist)
	})
	if err != nil {
		return nil, fmt.Errorf("bare fasthttp: %w", err)
	}
	return &target{
		Name:   "bare fasthttp",
		Master: func(string) string { return base + barePlaylist },
		PID:    p.pid, stop: p.stop, log: p.log,
	}, nil
}
