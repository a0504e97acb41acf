package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"streamhive/chaos"
)

// env is one scenario's world: a server with two streams (a, the one the
// fault hits, and b, which nothing touches), their publishers, and a
// viewer and an API monitor per stream.
type env struct {
	dir, clip string
	srv       *chaos.Server
	rtmp      int // the server's RTMP port
	pubs      []*chaos.Publisher
	viewer    map[string]*chaos.Viewer
	monitor   map[string]*chaos.Monitor
	ctx       context.Context
	cancel    context.CancelFunc
	closers   []func()
}

// newEnv starts a server on conf (streams a and b), where conf may use
// %[1]d for the RTMP port.
func newEnv(root, name, bin, clip string, conf func(rtmp int) string) (*env, error) {
	dir := filepath.Join(root, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	httpPort, err := chaos.FreeTCP()
	if err != nil {
		return nil, err
	}
	rtmp, err := chaos.FreeTCP()
	if err != nil {
		return nil, err
	}
	srv, err := chaos.NewServer(bin, dir, httpPort, fmt.Sprintf("rtmp 127.0.0.1:%d;\n", rtmp)+conf(rtmp))
	if err != nil {
		return nil, err
	}
	if err := srv.Start(); err != nil {
		return nil, err
	}
	e := &env{
		dir: dir, clip: clip, srv: srv, rtmp: rtmp,
		viewer: map[string]*chaos.Viewer{}, monitor: map[string]*chaos.Monitor{},
	}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	return e, nil
}

// publish starts ffmpeg sending the clip to url in format.
func (e *env) publish(format, url string) (*chaos.Publisher, error) {
	p := &chaos.Publisher{
		Clip: e.clip, Format: format, URL: url,
		Log: filepath.Join(e.dir, fmt.Sprintf("ffmpeg-%d.log", len(e.pubs))),
	}
	e.pubs = append(e.pubs, p)
	return p, p.Start()
}

// rtmpURL is where a publisher of stream name sends RTMP.
func (e *env) rtmpURL(name string) string {
	return fmt.Sprintf("rtmp://127.0.0.1:%d/live/%s", e.rtmp, name)
}

// watch starts a viewer and a monitor on each stream.
func (e *env) watch(names ...string) {
	for _, n := range names {
		v := &chaos.Viewer{URL: fmt.Sprintf("%s/%s/index.m3u8", e.srv.Base(), n)}
		m := &chaos.Monitor{URL: fmt.Sprintf("%s/streamer/api/v3/streams/%s", e.srv.Base(), n)}
		e.viewer[n], e.monitor[n] = v, m
		go v.Run(e.ctx)
		go m.Run(e.ctx)
	}
}

// warm waits until every viewer has seen n segments with video.
func (e *env) warm(n int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for name, v := range e.viewer {
		for {
			count := 0
			for _, s := range v.Segments() {
				if len(s.Times) > 0 {
					count++
				}
			}
			if count >= n {
				break
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("stream %s: %d segments after %v, want %d (see %s)", name, count, timeout, n, e.srv.Log)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return nil
}

// close stops everything the scenario started.
func (e *env) close() {
	e.cancel()
	for _, p := range e.pubs {
		p.Kill()
	}
	for _, c := range e.closers {
		c()
	}
	e.srv.Stop()
}

// contextPair returns a fresh context for a new set of watchers.
func contextPair() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}
