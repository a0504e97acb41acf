// Package vod serves files as video on demand: the sample tables of an MP4
// read once, segments cut from them on request (keyframe-aligned, MPEG-TS
// and CMAF), SMIL renditions, and the cache that keeps hot segments. Where
// the bytes live (a disk folder, an HTTP server read by ranges) is behind
// Storage.
package vod

import (
	"context"
	"errors"
	"io"
	"time"
)

// File is an opened file of a storage: random access, known size.
type File interface {
	io.ReaderAt
	io.Closer
	Size() int64
}

// Entry is one name in a storage's folder.
type Entry struct {
	Name    string // base name
	Dir     bool
	Size    int64
	ModTime time.Time
}

// Storage is one root a VOD location reads from. Paths are slash-separated
// and relative to the root; implementations refuse, with ErrBadPath, any
// path that leaves the root (.., absolute paths, symlinks pointing out).
type Storage interface {
	Open(ctx context.Context, path string) (File, error)
	List(ctx context.Context, dir string) ([]Entry, error)
}

// Writable is a Storage that takes uploads and deletes (the /vods API).
type Writable interface {
	Storage
	Create(ctx context.Context, path string, body io.Reader) error
	Remove(ctx context.Context, path string) error
}

var (
	// ErrBadPath is returned when the path escapes the storage or is malformed.
	ErrBadPath = errors.New("vod: path outside the storage")
	// ErrNotFound is returned for no such file in any storage of the location.
	ErrNotFound = errors.New("vod: file not found")
)
