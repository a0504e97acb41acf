package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// profiler fetches the server's CPU profile over a window and its heap
// profile after it, from the -pprof endpoint the server was started with,
// into dir as PROTO-N.cpu.pprof and PROTO-N.heap.pprof (read them with
// `go tool pprof -top bin/streamhive FILE`).
type profiler struct {
	base string // http://127.0.0.1:PORT/debug/pprof
	dir  string
	name string // PROTO-N
}

// cpu profiles the server for d and writes the profile; run it beside the
// measurement window.
func (p *profiler) cpu(ctx context.Context, d time.Duration) error {
	return p.fetch(ctx, fmt.Sprintf("/profile?seconds=%d", int(d.Seconds())), p.name+".cpu.pprof")
}

// heap writes the heap profile (after a collection: in-use figures are live
// bytes).
func (p *profiler) heap(ctx context.Context) error {
	return p.fetch(ctx, "/heap?gc=1", p.name+".heap.pprof")
}

func (p *profiler) fetch(ctx context.Context, path, file string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.base+path, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", path, resp.Status)
	}
	f, err := os.Create(filepath.Join(p.dir, file))
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
