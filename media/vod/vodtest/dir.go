// Package vodtest holds a vod.Storage for tests: a folder on disk, read
// through os.Root (which refuses paths and symlinks leaving it).
package vodtest

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"

	"streamhive/media/vod"
)

// Dir is a read-only vod.Storage over a folder.
type Dir struct{ Root string }

type file struct{ *os.File }

func (f file) Size() int64 {
	info, err := f.Stat()
	if err != nil {
		return 0
	}
	return info.Size()
}

// Open implements vod.Storage.
func (d Dir) Open(_ context.Context, p string) (vod.File, error) {
	if p == "" || strings.HasPrefix(p, "/") || path.Clean(p) != p || strings.HasPrefix(p, "..") {
		return nil, vod.ErrBadPath
	}
	root, err := os.OpenRoot(d.Root)
	if err != nil {
		return nil, err
	}
	defer func() { _ = root.Close() }()
	f, err := root.Open(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, vod.ErrNotFound
	case err != nil:
		return nil, errors.Join(vod.ErrBadPath, err)
	}
	return file{f}, nil
}

// List implements vod.Storage: the folder's entries, "" or "." for the root.
func (d Dir) List(_ context.Context, dir string) ([]vod.Entry, error) {
	if dir == "" {
		dir = "."
	}
	if strings.HasPrefix(dir, "/") || path.Clean(dir) != dir || strings.HasPrefix(dir, "..") {
		return nil, vod.ErrBadPath
	}
	root, err := os.OpenRoot(d.Root)
	if err != nil {
		return nil, err
	}
	defer func() { _ = root.Close() }()
	f, err := root.Open(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, vod.ErrNotFound
	case err != nil:
		return nil, errors.Join(vod.ErrBadPath, err)
	}
	defer func() { _ = f.Close() }()
	infos, err := f.Readdir(-1)
	if err != nil {
		return nil, err
	}
	out := make([]vod.Entry, 0, len(infos))
	for _, fi := range infos {
		out = append(out, vod.Entry{Name: fi.Name(), Dir: fi.IsDir(), Size: fi.Size(), ModTime: fi.ModTime()})
	}
	return out, nil
}
