package dvr

import (
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// retain rebuilds the index from the readable roots, then runs Trim
// every Options.Retention until Close.
func (s *Store) retain(roots []*Disk) {
	defer close(s.done)
	for _, d := range roots {
		if err := s.scan(d); err != nil {
			s.unreadable(d, err)
		}
	}
	close(s.loaded)
	if s.opt.Retention < 0 {
		<-s.stop
		return
	}
	t := time.NewTicker(s.opt.Retention)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.Trim(s.opt.Now())
		}
	}
}

// Trim applies the retention limits at now, oldest records first: those
// that ended more than Expiration ago, then as many as the store is over
// StorageLimit, then, on each disk fuller than DiskUsage percent, as many
// of this stream's records there as the disk is over. It returns how many
// records it removed. The index loses them at once (a reader that listed
// one gets ErrGone); the files are deleted afterwards, outside the lock,
// so writers and readers never wait for the deletions.
func (s *Store) Trim(now time.Time) int {
	s.mu.RLock()
	l := s.limits
	s.mu.RUnlock()
	var usage map[*Disk]int64 // bytes to free per disk
	if l.DiskUsage > 0 {
		usage = make(map[*Disk]int64)
		for _, d := range s.opt.Disks {
			st := d.Status()
			if over := st.Size - st.Free - st.Size*int64(l.DiskUsage)/100; st.Size > 0 && over > 0 {
				usage[d] = over
			}
		}
	}
	s.mu.Lock()
	n := 0
	for n < len(s.idx.list) && l.Expiration > 0 && now.Sub(s.idx.list[n].rec.End()) > l.Expiration {
		n++
	}
	gone := s.idx.removeFront(n)
	if l.StorageLimit > 0 {
		n = 0
		for over := s.idx.bytes - l.StorageLimit; over > 0 && n < len(s.idx.list); n++ {
			over -= s.idx.list[n].rec.Size
		}
		gone = append(gone, s.idx.removeFront(n)...)
	}
	if len(usage) > 0 {
		gone = append(gone, s.idx.removeIf(func(e *entry) bool {
			if usage[e.disk] <= 0 {
				return false
			}
			usage[e.disk] -= e.rec.Size
			return true
		})...)
	}
	s.mu.Unlock()
	s.remove(gone)
	if len(gone) > 0 {
		s.log.Debug("dvr: retention removed segments", slog.Int("count", len(gone)))
	}
	return len(gone)
}

// Delete removes the records that start within [from, to) (a DELETE of
// a range through the API) and returns how many it removed. The record
// after each removed stretch becomes a Gap.
func (s *Store) Delete(from, to time.Time) int {
	s.mu.Lock()
	gone := s.idx.removeIf(func(e *entry) bool {
		return !e.rec.Start.Before(from) && e.rec.Start.Before(to)
	})
	s.mu.Unlock()
	s.remove(gone)
	return len(gone)
}

// remove deletes removed records' files, the record first so that a crash
// in between leaves debris that Open cleans, never a record without its
// media. Hour directories left empty go too.
func (s *Store) remove(gone []entry) {
	dirs := make(map[string]bool)
	for i := range gone {
		e := &gone[i]
		for _, ext := range []string{extMeta, extTS, extCMAF} {
			if err := os.Remove(e.path(ext)); err != nil && !os.IsNotExist(err) {
				s.log.Warn("dvr: cannot delete", slog.String("path", e.path(ext)), slog.Any("err", err))
			}
		}
		dirs[e.dir] = true
	}
	for dir := range dirs {
		if os.Remove(dir) == nil { // only when empty
			_ = os.Remove(filepath.Dir(dir))
		}
	}
}
