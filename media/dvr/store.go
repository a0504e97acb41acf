package dvr

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"streamhive/media"
	"streamhive/media/segment"
)

// Errors.
var (
	// ErrNoDisk is returned by Write when no root of the store can be
	// written now: every one failed recently (full or failing) and waits
	// for its retry time.
	ErrNoDisk = errors.New("dvr: no disk can be written")
	// ErrClosed is returned by Write after Close.
	ErrClosed = errors.New("dvr: store closed")
)

// Limits are a store's retention limits; zero fields are no limit.
type Limits struct {
	Expiration   time.Duration // records older than this go
	StorageLimit int64         // bytes: the oldest records go beyond it
	DiskUsage    int           // percent: a disk fuller than this loses this stream's oldest records on it
}

// Options configure a Store.
type Options struct {
	Stream string
	// Disks are the roots, at least one. A stream prefers one root (by
	// its name) and moves to the next while that one fails, so streams
	// spread across the roots and one stream's files stay together.
	Disks  []*Disk
	Limits Limits
	// Retention is how often retention runs in the background: 10 s when
	// zero; never when negative (tests call Trim).
	Retention time.Duration
	Logger    *slog.Logger
	// Now is the clock of retention and disk retries; time.Now when nil.
	Now func() time.Time
}

// Store is one stream's recording on disk: it writes segments whole,
// keeps the index of what is on its roots (rebuilt from the files by
// Open), deletes by retention and on request, and implements Archive.
// Safe for concurrent use: writes are serialised among themselves, and
// readers and retention never wait for a write's disk I/O.
type Store struct {
	opt   Options
	log   *slog.Logger
	first int // the preferred disk

	wmu     sync.Mutex // serialises Write
	epochs  map[*segment.Init]int
	initOn  map[int]map[*Disk]bool // epochs whose init file a disk holds
	gapNext bool                   // the next record follows an interruption
	lastDir string                 // the previous record's directory, shared by the next ones in its hour

	mu     sync.RWMutex // guards the fields below
	idx    index
	inits  map[int]*Init
	next   int // the next epoch number
	limits Limits
	closed bool

	stop   chan struct{}
	done   chan struct{} // retain has returned
	loaded chan struct{} // the index is rebuilt
}

// Open opens the store of o.Stream on o.Disks. It reads the epochs' init
// files at once and returns; the index is rebuilt from the segments' files
// in the background (deleting what a crash left half-written), because an
// archive of days is hundreds of thousands of files and a stream must not
// wait for them to go live. Until Loaded is closed, readers see the
// records written since and those found so far, and retention waits. A
// root that cannot be read is logged and marked failed; its records are
// missing until the store is opened again.
func Open(o Options) (*Store, error) {
	if len(o.Disks) == 0 {
		return nil, fmt.Errorf("dvr: stream %q: no root", o.Stream)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Retention == 0 {
		o.Retention = 10 * time.Second
	}
	s := &Store{
		opt: o, log: o.Logger.With(slog.String("stream", o.Stream)),
		epochs: make(map[*segment.Init]int), initOn: make(map[int]map[*Disk]bool),
		inits: make(map[int]*Init), limits: o.Limits, gapNext: true,
		stop: make(chan struct{}), done: make(chan struct{}), loaded: make(chan struct{}),
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(o.Stream))
	s.first = int(h.Sum32() % uint32(len(o.Disks)))
	var readable []*Disk
	for _, d := range o.Disks {
		err := os.MkdirAll(d.Path(), 0o755)
		if err == nil {
			err = s.scanInits(d, filepath.Join(streamDir(d.Path(), o.Stream), initDir))
		}
		if err != nil {
			s.unreadable(d, err)
			continue
		}
		readable = append(readable, d)
	}
	go s.retain(readable)
	return s, nil
}

// unreadable reports a root whose files cannot be read.
func (s *Store) unreadable(d *Disk, err error) {
	d.failed(err, s.opt.Now())
	s.log.Error("dvr: cannot read root", slog.String("root", d.Path()), slog.Any("err", err))
}

// Loaded is closed when the index holds every record found on disk at
// Open.
func (s *Store) Loaded() <-chan struct{} { return s.loaded }

// Close stops retention and refuses further writes. Readers keep working.
func (s *Store) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	s.mu.Unlock()
	close(s.stop)
	<-s.done
}

// SetLimits replaces the retention limits; the next run applies them.
func (s *Store) SetLimits(l Limits) {
	s.mu.Lock()
	s.limits = l
	s.mu.Unlock()
}

// Limits returns the retention limits in force.
func (s *Store) Limits() Limits {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.limits
}

// Disks returns the store's roots.
func (s *Store) Disks() []*Disk { return s.opt.Disks }

// Write stores seg whole and indexes it. gap says that recording was
// interrupted before seg (the writer skipped segments, or starts); the
// store adds its own reasons (a change of epoch, a jump in time, a failed
// write before). It tries the preferred root and then the others; when
// every root fails, the error is returned and the disks are reported
// failed (Disk.Status) until a retry succeeds. Write never blocks on
// readers or retention.
func (s *Store) Write(seg *segment.Segment, gap bool) (Record, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.mu.RLock()
	closed := s.closed
	s.mu.RUnlock()
	if closed {
		return Record{}, ErrClosed
	}
	if seg.Init == nil || seg.Duration <= 0 {
		return Record{}, fmt.Errorf("dvr: segment %d has no init or no duration", seg.MSN)
	}
	epoch := s.epochOf(seg.Init)
	m := &meta{
		Start: seg.ProgramDateTime.UnixMilli(), Duration: seg.Duration, DTS: seg.DTS, Epoch: epoch,
		Gap: gap || s.gapNext || seg.Discontinuity || seg.Resync, Keyframe: hasVideo(seg.Init), Spans: seg.Spans,
		TS: int64(seg.TSLen()),
	}
	for _, c := range seg.CMAF {
		m.CMAF = append(m.CMAF, int64(len(c)))
	}
	now := s.opt.Now()
	var errs []error
	for i := range s.opt.Disks {
		d := s.opt.Disks[(s.first+i)%len(s.opt.Disks)]
		if !d.usable(now) {
			continue
		}
		e, err := s.writeOn(d, seg, m)
		if err != nil {
			errs = append(errs, err)
			if d.failed(err, s.opt.Now()) {
				s.log.Error("dvr: disk write failed; recording elsewhere or not at all until it recovers",
					slog.String("root", d.Path()), slog.Any("err", err))
			}
			continue
		}
		if d.succeeded(e.rec.Size) {
			s.log.Info("dvr: disk writable again", slog.String("root", d.Path()))
		}
		s.gapNext = false
		s.mu.Lock()
		s.idx.insert(e)
		rec := s.idx.list[s.idx.search(e.rec.Start)].rec
		s.mu.Unlock()
		return rec, nil
	}
	s.gapNext = true
	if len(errs) == 0 {
		return Record{}, ErrNoDisk
	}
	return Record{}, fmt.Errorf("%w: %w", ErrNoDisk, errors.Join(errs...))
}

// epochOf returns the store's epoch number for a segmenter's Init,
// numbering a new one after every epoch already on disk.
func (s *Store) epochOf(in *segment.Init) int {
	if n, ok := s.epochs[in]; ok {
		return n
	}
	s.mu.Lock()
	n := s.next
	s.next++
	s.inits[n] = &Init{Tracks: in.Tracks, CMAF: in.CMAF, Timescales: in.Timescales}
	s.mu.Unlock()
	s.epochs[in] = n
	return n
}

// writeOn writes the segment's files on d and returns its index entry.
func (s *Store) writeOn(d *Disk, seg *segment.Segment, m *meta) (entry, error) {
	if err := s.writeInit(d, m.Epoch); err != nil {
		return entry{}, err
	}
	rec := m.record()
	sd := streamDir(d.Path(), s.opt.Stream)
	dir := hourDir(d.Path(), s.opt.Stream, rec.Start)
	if dir == s.lastDir {
		dir = s.lastDir // one string per hour in the index, not one per record
	}
	s.lastDir = dir
	if err := mkdirSynced(dir, sd); err != nil {
		return entry{}, err
	}
	base := baseName(rec.Start, rec.Duration)
	b, err := json.Marshal(m)
	if err != nil {
		return entry{}, err
	}
	var tmps [3]string
	defer func() {
		for _, t := range tmps {
			if t != "" {
				_ = os.Remove(t)
			}
		}
	}()
	if tmps[0], err = writeTemp(d, dir, base+extTS, seg.MPEGTS()); err != nil {
		return entry{}, err
	}
	if tmps[1], err = writeTemp(d, dir, base+extCMAF, seg.CMAF...); err != nil {
		return entry{}, err
	}
	if tmps[2], err = writeTemp(d, dir, base+extMeta, b); err != nil {
		return entry{}, err
	}
	e := entry{rec: rec, disk: d, dir: dir, base: base, cmaf: m.CMAF}
	for i, ext := range []string{extTS, extCMAF, extMeta} { // the record last
		if err := os.Rename(tmps[i], e.path(ext)); err != nil {
			for _, done := range []string{extTS, extCMAF}[:i] {
				_ = os.Remove(e.path(done)) // media without its record
			}
			return entry{}, err
		}
		tmps[i] = ""
	}
	if err := syncDir(dir); err != nil {
		for _, ext := range []string{extMeta, extTS, extCMAF} {
			_ = os.Remove(e.path(ext)) // not known to be durable: not indexed either
		}
		return entry{}, err
	}
	return e, nil
}

// writeInit writes epoch's init file on d unless d has it.
func (s *Store) writeInit(d *Disk, epoch int) error {
	if s.initOn[epoch][d] {
		return nil
	}
	s.mu.RLock()
	in := s.inits[epoch]
	s.mu.RUnlock()
	dir := filepath.Join(streamDir(d.Path(), s.opt.Stream), initDir)
	if err := mkdirSynced(dir, d.Path()); err != nil {
		return err
	}
	b, err := json.Marshal(&initFile{Epoch: epoch, Init: *in})
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%d%s", epoch, extMeta)
	tmp, err := writeTemp(d, dir, name, b)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := syncDir(dir); err != nil {
		return err
	}
	if s.initOn[epoch] == nil {
		s.initOn[epoch] = make(map[*Disk]bool)
	}
	s.initOn[epoch][d] = true
	return nil
}

// hasVideo reports whether an epoch has a video track: its segments then
// start with a keyframe.
func hasVideo(in *segment.Init) bool {
	for _, t := range in.Tracks {
		if t.Codec.Kind() == media.KindVideo {
			return true
		}
	}
	return false
}
