package dvr

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"
)

var _ Archive = (*Store)(nil)

// Ranges implements Archive.
func (s *Store) Ranges() []Range {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.idx.ranges()
}

// Records implements Archive.
func (s *Store) Records(from, to time.Time) []Record {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.idx.records(from, to)
}

// ReadTS implements Archive.
func (s *Store) ReadTS(rec Record) ([]byte, error) {
	e, err := s.lookup(rec)
	if err != nil {
		return nil, err
	}
	return readFile(e.path(extTS))
}

// ReadCMAF implements Archive.
func (s *Store) ReadCMAF(rec Record) ([][]byte, error) {
	e, err := s.lookup(rec)
	if err != nil {
		return nil, err
	}
	b, err := readFile(e.path(extCMAF))
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(e.cmaf))
	off := int64(0)
	for i, n := range e.cmaf {
		if off+n > int64(len(b)) {
			return nil, fmt.Errorf("dvr: %s is shorter than its record", e.path(extCMAF))
		}
		out[i] = b[off : off+n : off+n]
		off += n
	}
	return out, nil
}

// Init implements Archive.
func (s *Store) Init(rec Record) (*Init, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	in, ok := s.inits[rec.Epoch]
	if !ok {
		return nil, fmt.Errorf("%w: epoch %d", ErrGone, rec.Epoch)
	}
	return in, nil
}

// lookup returns a copy of rec's index entry, or an error wrapping ErrGone.
func (s *Store) lookup(rec Record) (entry, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.idx.find(rec.Start)
	if !ok {
		return entry{}, fmt.Errorf("%w: %s", ErrGone, rec.Start.Format(time.RFC3339Nano))
	}
	return *e, nil
}

// readFile reads a record's file; a file deleted meanwhile is ErrGone.
func readFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %w", ErrGone, err)
	}
	return b, err
}

// Info summarises a store for the Control API's dvr_info.
type Info struct {
	From     time.Time     // start of the first record; zero when empty
	Depth    time.Duration // from the first record's start to the last one's end
	Duration time.Duration // sum of the records' durations (Depth less the gaps)
	Bytes    int64
	Records  int
	Ranges   []Range
}

// Info returns the store's summary.
func (s *Store) Info() Info {
	s.mu.RLock()
	defer s.mu.RUnlock()
	in := Info{Bytes: s.idx.bytes, Records: len(s.idx.list), Ranges: s.idx.ranges()}
	if n := len(s.idx.list); n > 0 {
		in.From = s.idx.list[0].rec.Start
		in.Depth = s.idx.list[n-1].rec.End().Sub(in.From)
		in.Duration = s.idx.dur
	}
	return in
}

// Last returns the latest record.
func (s *Store) Last() (Record, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if n := len(s.idx.list); n > 0 {
		return s.idx.list[n-1].rec, true
	}
	return Record{}, false
}
