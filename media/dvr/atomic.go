package dvr

import (
	"errors"
	"os"
	"path/filepath"
)

// A crash must leave only whole files under their real names, so every
// file is created as dir/.tmp-NAME, written, synced and only then renamed;
// the directory is synced after the renames that make a segment exist.

// writeTemp writes the concatenation of parts to dir/.tmp-name, synced, and
// returns the temporary path. On error nothing is left behind.
func writeTemp(d *Disk, dir, name string, parts ...[]byte) (string, error) {
	if err := d.injected(); err != nil {
		return "", err
	}
	tmp := filepath.Join(dir, tmpPref+name)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return "", err
	}
	for _, p := range parts {
		if _, err = f.Write(p); err != nil {
			break
		}
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	return tmp, nil
}

// syncDir makes the renames and creations in dir durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// mkdirSynced creates dir and its missing parents up to (not including)
// stop, syncing each parent that gained an entry, so that a segment's
// directory survives a crash with the segment.
func mkdirSynced(dir, stop string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	parent := filepath.Dir(dir)
	if parent != dir && parent != stop {
		if err := mkdirSynced(parent, stop); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
		return err
	}
	return syncDir(parent)
}
