package configowner

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// writeFileAtomic replaces the file at path with data so that a crash at
// any moment leaves either the old file or the new one, never a mix: it
// writes a temporary file in the same directory, syncs it, renames it over
// path and syncs the directory so that the rename itself is durable. The
// new file keeps the old one's permissions (0644 for a new file).
func writeFileAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	perm := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		perm = fi.Mode().Perm()
	}

	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("configowner: writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("configowner: writing %s: %w", tmp, err)
	}
	if err = f.Chmod(perm); err != nil {
		return fmt.Errorf("configowner: writing %s: %w", tmp, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("configowner: syncing %s: %w", tmp, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("configowner: closing %s: %w", tmp, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("configowner: replacing %s: %w", path, err)
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("configowner: syncing %s: %w", dir, err)
	}
	defer func() { _ = d.Close() }()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("configowner: syncing %s: %w", dir, err)
	}
	return nil
}

// fileHash is the SHA-256 of a config file's bytes; the zero value stands
// for no file read.
type fileHash [sha256.Size]byte

// hashFile hashes the file at path; the zero fileHash when it cannot be
// read (a later write then keeps whatever is there: the safe side).
func hashFile(path string) fileHash {
	data, err := os.ReadFile(path)
	if err != nil {
		return fileHash{}
	}
	return sha256.Sum256(data)
}

// keptSuffix names the copy of a hand-edited config file kept beside it:
// streamhive.conf.rejected-20260102T150405Z.
const keptSuffix = ".rejected-"

// keepHandEdit copies the file at path beside it when it is not what the
// server last loaded or wrote (known): an operator edited it and the server
// has not taken the edit (its reload was refused, or none came yet). It
// returns the copy's name, "" when there was nothing to keep (the file is
// as the server left it, or gone). An error means the edit could not be
// kept: the caller must not write over it.
func keepHandEdit(path string, known fileHash, now time.Time) (string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("configowner: reading %s before writing it: %w", path, err)
	}
	if sha256.Sum256(data) == known {
		return "", nil
	}
	perm := fs.FileMode(0o600)
	if fi, err := os.Stat(path); err == nil {
		perm = fi.Mode().Perm() // the copy may hold the same secrets
	}
	stamp := path + keptSuffix + now.UTC().Format("20060102T150405Z")
	for i := range 100 {
		name := stamp
		if i > 0 {
			name = fmt.Sprintf("%s-%d", stamp, i)
		}
		err := writeNew(name, data, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return name, err
	}
	return "", fmt.Errorf("configowner: keeping %s: %s-* all taken", path, stamp)
}

// writeNew creates name, which must not exist, with data, durably.
func writeNew(name string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err // fs.ErrExist: the caller tries the next name
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(name)
		return fmt.Errorf("configowner: keeping %s: %w", name, err)
	}
	return syncDir(filepath.Dir(name))
}
