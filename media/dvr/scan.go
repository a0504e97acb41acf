package dvr

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// scan indexes the stream's segments on d (see layout.go), hour
// directory by hour directory, and merges them into the index. It deletes
// temporary files, segments whose .json is missing or does not match their
// files, and hour directories left empty. Close stops it early.
func (s *Store) scan(d *Disk) error {
	sd := streamDir(d.Path(), s.opt.Stream)
	var found []entry
	err := filepath.WalkDir(sd, func(path string, de fs.DirEntry, err error) error {
		select {
		case <-s.stop:
			return fs.SkipAll
		default:
		}
		switch {
		case err != nil:
			if errors.Is(err, fs.ErrNotExist) && path == sd {
				return fs.SkipAll // nothing recorded on this root yet
			}
			return err
		case de.IsDir() && de.Name() == initDir && filepath.Dir(path) == sd:
			return fs.SkipDir
		case de.IsDir() && path != sd && depth(sd, path) == 4:
			es, err := s.scanHour(d, path)
			found = append(found, es...)
			if err != nil {
				return err
			}
			if len(es) == 0 {
				_ = os.Remove(path) // fails, harmlessly, unless empty
			}
			return fs.SkipDir
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	found = append(found, s.idx.list...)
	slices.SortFunc(found, func(a, b entry) int { return a.rec.Start.Compare(b.rec.Start) })
	s.idx = index{}
	for i := range found {
		s.idx.insert(found[i])
	}
	return nil
}

// depth is how many directories path lies below base.
func depth(base, path string) int {
	rel, err := filepath.Rel(base, path)
	if err != nil || rel == "." {
		return 0
	}
	return strings.Count(rel, string(filepath.Separator)) + 1
}

// scanInits loads the epochs' init files in dir.
func (s *Store) scanInits(d *Disk, dir string) error {
	des, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, de := range des {
		name := de.Name()
		path := filepath.Join(dir, name)
		if strings.HasPrefix(name, tmpPref) {
			_ = os.Remove(path)
			continue
		}
		n, err := strconv.Atoi(strings.TrimSuffix(name, extMeta))
		if err != nil || !strings.HasSuffix(name, extMeta) {
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var f initFile
		if json.Unmarshal(b, &f) != nil || f.Epoch != n {
			s.log.Warn("dvr: unreadable init file removed", "path", path)
			_ = os.Remove(path)
			continue
		}
		s.noteEpoch(n)
		if s.initOn[n] == nil {
			s.initOn[n] = make(map[*Disk]bool)
		}
		s.initOn[n][d] = true
		in := f.Init
		s.mu.Lock()
		s.inits[n] = &in
		s.mu.Unlock()
	}
	return nil
}

// noteEpoch makes sure new epochs are numbered after n.
func (s *Store) noteEpoch(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n >= s.next {
		s.next = n + 1
	}
}

// scanHour indexes one hour directory's segments and deletes the debris.
func (s *Store) scanHour(d *Disk, dir string) ([]entry, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	files := make(map[string]map[string]int64) // base -> ext -> size
	for _, de := range des {
		name := de.Name()
		path := filepath.Join(dir, name)
		ext := filepath.Ext(name)
		base := strings.TrimSuffix(name, ext)
		if strings.HasPrefix(name, tmpPref) || !isBaseName(base) || de.IsDir() {
			if strings.HasPrefix(name, tmpPref) {
				_ = os.Remove(path) // a write a crash interrupted
			}
			continue
		}
		info, err := de.Info()
		if err != nil {
			continue
		}
		if files[base] == nil {
			files[base] = make(map[string]int64)
		}
		files[base][ext] = info.Size()
	}
	var out []entry
	for base, exts := range files {
		e, ok := s.segmentFrom(d, dir, base, exts)
		if !ok {
			for ext := range exts {
				_ = os.Remove(filepath.Join(dir, base+ext))
			}
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// segmentFrom reads one segment's record and checks it against its files.
func (s *Store) segmentFrom(d *Disk, dir, base string, exts map[string]int64) (entry, bool) {
	if _, ok := exts[extMeta]; !ok {
		return entry{}, false // renamed before its record: a crash came between
	}
	b, err := os.ReadFile(filepath.Join(dir, base+extMeta))
	if err != nil {
		return entry{}, false
	}
	m, err := decodeMeta(b)
	if err != nil || exts[extTS] != m.TS || exts[extCMAF] != m.cmafSize() {
		return entry{}, false
	}
	s.noteEpoch(m.Epoch)
	rec := m.record()
	if base != baseName(rec.Start, rec.Duration) {
		return entry{}, false
	}
	return entry{rec: rec, disk: d, dir: dir, base: base, cmaf: m.CMAF}, true
}
