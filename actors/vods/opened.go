package vods

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"streamhive/media/vod"
)

// OpenedFile is a file viewers have open now (GET /vods/opened_files).
type OpenedFile struct {
	Prefix   string
	Storage  int    // the index of the storage that serves it
	Path     string // within the storage
	Clients  int    // open handles
	BytesIn  int64  // read from the storage
	OpenedAt time.Time
}

// opened counts the files open through the registry.
type opened struct {
	mu    sync.Mutex
	files map[string]*openedFile // by prefix/path
}

type openedFile struct {
	prefix, path string
	storage      int
	clients      int
	at           time.Time
	bytes        atomic.Int64
}

// Open opens prefix/path for a viewer; the file counts as opened until
// the handle is closed.
func (r *Registry) Open(ctx context.Context, prefix, path string) (vod.File, error) {
	l, ok := r.Location(prefix)
	if !ok {
		return nil, fmt.Errorf("%w: no vod location %q", vod.ErrNotFound, prefix)
	}
	f, idx, err := l.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	key := prefix + "/" + path
	r.opened.mu.Lock()
	o, ok := r.opened.files[key]
	if !ok {
		o = &openedFile{prefix: prefix, path: path, storage: idx, at: time.Now()}
		r.opened.files[key] = o
	}
	o.clients++
	r.opened.mu.Unlock()
	return &handle{File: f, of: o, reg: &r.opened, key: key}, nil
}

// Opened returns the opened files, sorted by prefix and path.
func (r *Registry) Opened() []OpenedFile {
	r.opened.mu.Lock()
	out := make([]OpenedFile, 0, len(r.opened.files))
	for _, o := range r.opened.files {
		out = append(out, OpenedFile{
			Prefix: o.prefix, Storage: o.storage, Path: o.path,
			Clients: o.clients, BytesIn: o.bytes.Load(), OpenedAt: o.at,
		})
	}
	r.opened.mu.Unlock()
	slices.SortFunc(out, func(a, b OpenedFile) int {
		return strings.Compare(a.Prefix+"/"+a.Path, b.Prefix+"/"+b.Path)
	})
	return out
}

// IsOpen reports whether prefix/path is open now.
func (r *Registry) IsOpen(prefix, path string) bool {
	r.opened.mu.Lock()
	defer r.opened.mu.Unlock()
	_, ok := r.opened.files[prefix+"/"+path]
	return ok
}

// handle is one viewer's open file: it counts what it reads.
type handle struct {
	vod.File
	of     *openedFile
	reg    *opened
	key    string
	closed atomic.Bool
}

func (h *handle) ReadAt(p []byte, off int64) (int, error) {
	n, err := h.File.ReadAt(p, off)
	h.of.bytes.Add(int64(n))
	return n, err
}

func (h *handle) Close() error {
	if !h.closed.CompareAndSwap(false, true) {
		return nil
	}
	h.reg.mu.Lock()
	h.of.clients--
	if h.of.clients == 0 && h.reg.files[h.key] == h.of {
		delete(h.reg.files, h.key)
	}
	h.reg.mu.Unlock()
	return h.File.Close()
}
