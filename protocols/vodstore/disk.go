package vodstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"sort"

	"streamhive/media/vod"
)

// Disk is a storage that is a folder on the local disk. It opens every
// path through an os.Root, which refuses a symlink (or a `..` hidden in
// one) that resolves outside the folder; a symlink that stays inside is
// followed.
type Disk struct {
	dir  string
	root *os.Root
}

var _ vod.Writable = (*Disk)(nil)

// OpenDisk opens the folder dir as a storage. The folder must exist.
func OpenDisk(dir string) (*Disk, error) {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("vod storage %s: %w", dir, err)
	}
	return &Disk{dir: dir, root: r}, nil
}

// Dir is the folder the storage reads.
func (d *Disk) Dir() string { return d.dir }

// Close releases the folder.
func (d *Disk) Close() error { return d.root.Close() }

// diskFile is an opened file and its size at opening.
type diskFile struct {
	*os.File
	size int64
}

func (f *diskFile) Size() int64 { return f.size }

// Open opens a regular file for reading.
func (d *Disk) Open(_ context.Context, p string) (vod.File, error) {
	clean, err := CleanPath(p)
	if err != nil {
		return nil, err
	}
	if clean == "" {
		return nil, fmt.Errorf("%w: the storage's root is no file", vod.ErrNotFound)
	}
	f, err := d.root.Open(clean)
	if err != nil {
		return nil, d.pathErr(clean, err)
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		_ = f.Close()
		return nil, fmt.Errorf("%w: %s is not a regular file", vod.ErrNotFound, clean)
	}
	return &diskFile{File: f, size: st.Size()}, nil
}

// List lists a folder, sorted by name. A symlink is listed as what it
// points to when that stays inside the root, and left out otherwise.
func (d *Disk) List(_ context.Context, dir string) ([]vod.Entry, error) {
	clean, err := CleanPath(dir)
	if err != nil {
		return nil, err
	}
	if clean == "" {
		clean = "."
	}
	f, err := d.root.Open(clean)
	if err != nil {
		return nil, d.pathErr(clean, err)
	}
	defer func() { _ = f.Close() }()
	names, err := f.Readdirnames(maxListed + 1)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, d.pathErr(clean, err)
	}
	if len(names) > maxListed {
		return nil, fmt.Errorf("vod storage %s: %s holds more than %d entries", d.dir, clean, maxListed)
	}
	sort.Strings(names)
	out := make([]vod.Entry, 0, len(names))
	for _, n := range names {
		st, err := d.root.Stat(path.Join(clean, n)) // follows links, inside the root only
		if err != nil {
			continue
		}
		out = append(out, vod.Entry{Name: n, Dir: st.IsDir(), Size: st.Size(), ModTime: st.ModTime()})
	}
	return out, nil
}

// maxListed bounds one folder's listing.
const maxListed = 100_000

// Create writes a file from body, making its folders; the file appears
// whole (written beside it, then renamed) or not at all.
func (d *Disk) Create(_ context.Context, p string, body io.Reader) error {
	clean, err := CleanPath(p)
	if err != nil {
		return err
	}
	if clean == "" {
		return fmt.Errorf("%w: no file name", vod.ErrBadPath)
	}
	if dir := path.Dir(clean); dir != "." {
		if err := d.root.MkdirAll(dir, 0o755); err != nil {
			return d.pathErr(clean, err)
		}
	}
	tmp := clean + ".upload"
	f, err := d.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return d.pathErr(clean, err)
	}
	_, err = io.Copy(f, body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = d.root.Rename(tmp, clean)
	}
	if err != nil {
		_ = d.root.Remove(tmp)
		return fmt.Errorf("vod storage %s: writing %s: %w", d.dir, clean, err)
	}
	return nil
}

// Remove deletes a file or an empty folder.
func (d *Disk) Remove(_ context.Context, p string) error {
	clean, err := CleanPath(p)
	if err != nil {
		return err
	}
	if clean == "" {
		return fmt.Errorf("%w: the storage's root", vod.ErrBadPath)
	}
	if err := d.root.Remove(clean); err != nil {
		return d.pathErr(clean, err)
	}
	return nil
}

// pathErr maps the file system's answer onto the vod errors: a missing
// file is ErrNotFound; an escape the os.Root refused is ErrBadPath.
func (d *Disk) pathErr(p string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%w: %s", vod.ErrNotFound, p)
	case isEscape(err):
		return fmt.Errorf("%w: %s leads out of the storage", vod.ErrBadPath, p)
	}
	return fmt.Errorf("vod storage %s: %s: %w", d.dir, p, err)
}

// isEscape reports an os.Root refusal: the path resolves outside the root.
func isEscape(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Err != nil && pe.Err.Error() == "path escapes from parent"
}
