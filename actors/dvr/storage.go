// Package dvr records streams: one writer actor per stream with a `dvr`
// line follows the stream's segmenter and writes every finished segment
// into the stream's store (media/dvr), off the stream's goroutines, so a
// slow or failing disk never holds up live delivery. Storage opens the
// stores, resolves `dvr @NAME` against the global DVRs, shares one
// media/dvr.Disk per root across streams and publishes the metrics.
package dvr

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/events"
	"streamhive/actors/stream"
	store "streamhive/media/dvr"
)

// ErrUnknownDVR is returned when a stream's `dvr @NAME` names no global DVR.
var ErrUnknownDVR = errors.New("dvr: no such dvr")

// Options configure a Storage.
type Options struct {
	// Current returns the configuration in effect, for `dvr @NAME`.
	// Required.
	Current func() *config.Server
	Logger  *slog.Logger
	// Retention is how often each store applies its limits; see
	// media/dvr.Options.Retention.
	Retention time.Duration
	// Cluster, when set, serves a `cluster_ingest` stream's archive as
	// the union of every node's recording of it (clusterdvr.Archives):
	// given this node's own recording (nil when it has none), it returns
	// the archive to serve, or nil when the stream's archive is local
	// only.
	Cluster func(stream string, local store.Archive) store.Archive
	// Events gets dvr_error when a recording starts failing. Nil: none.
	Events *events.Bus
}

// Storage is the server's DVR: the open stores by stream name and the
// disks under them. A store outlives its stream actor (restarts, a
// stopped stream keep their archive readable and trimmed). Safe for
// concurrent use.
type Storage struct {
	opt   Options
	log   *slog.Logger
	disks store.Disks

	mu   sync.Mutex
	recs map[string]*recording

	stop, done chan struct{} // of follow
	closeOnce  sync.Once

	metrics *storageMetrics
}

// recording is one stream's store and its writer's counters.
type recording struct {
	store   *store.Store
	cfg     config.StreamDVR // the `dvr` line it was opened for
	roots   []string
	stats   counters
	writers sync.WaitGroup // follow goroutines writing into store
	events  *events.Bus
}

// New returns an empty Storage and registers its metrics; Close
// unregisters them.
func New(o Options) *Storage {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	s := &Storage{opt: o, log: o.Logger, recs: make(map[string]*recording), stop: make(chan struct{}), done: make(chan struct{})}
	s.metrics = newStorageMetrics(s)
	go s.follow()
	return s
}

// refreshEvery is how often the stores' limits are resolved again, so
// that a change of a global DVR's limits (PUT /dvrs/NAME, which changes
// no stream's own config) reaches the streams that reference it.
const refreshEvery = 5 * time.Second

func (s *Storage) follow() {
	defer close(s.done)
	t := time.NewTicker(refreshEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.refresh()
		}
	}
}

// refresh applies the current limits of every store's `dvr` line. A
// change of roots takes effect when the stream restarts its writer.
func (s *Storage) refresh() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rec := range s.recs {
		if roots, l, err := s.resolve(rec.cfg); err == nil && slices.Equal(roots, rec.roots) {
			rec.store.SetLimits(l)
		}
	}
}

// Start implements stream.DVRStarter: it opens (or reuses) the stream's
// store under the roots its `dvr` line resolves to, applies its limits
// and returns the Props of the writer.
func (s *Storage) Start(spec stream.DVRSpec) (store.Archive, *actor.Props, error) {
	roots, limits, err := s.resolve(spec.Config)
	if err != nil {
		return nil, nil, fmt.Errorf("stream %q: %w", spec.Stream, err)
	}
	rec, err := s.open(string(spec.Stream), spec.Config, roots, limits)
	if err != nil {
		return nil, nil, err
	}
	return s.served(string(spec.Stream), rec.store), writerProps(spec, rec, s.log), nil
}

// open returns the stream's recording under roots, opening its store
// unless it is open under the same roots.
func (s *Storage) open(name string, cfg config.StreamDVR, roots []string, l store.Limits) (*recording, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec, ok := s.recs[name]; ok {
		if slices.Equal(rec.roots, roots) {
			rec.store.SetLimits(l)
			rec.cfg = cfg
			return rec, nil
		}
		rec.store.Close() // its readers keep working; a new store writes
	}
	disks := make([]*store.Disk, len(roots))
	for i, r := range roots {
		disks[i] = s.disks.Get(r)
	}
	st, err := store.Open(store.Options{
		Stream: name, Disks: disks, Limits: l, Retention: s.opt.Retention, Logger: s.log,
	})
	if err != nil {
		return nil, err
	}
	rec := &recording{store: st, cfg: cfg, roots: roots, events: s.opt.Events}
	s.recs[name] = rec
	return rec, nil
}

// Store returns stream name's store, if it was opened, or the store of
// a `cluster_ingest` stream this node recorded before (reopened).
func (s *Storage) Store(name string) (*store.Store, bool) {
	s.mu.Lock()
	rec, ok := s.recs[name]
	s.mu.Unlock()
	if !ok {
		return s.reopen(name)
	}
	return rec.store, true
}

// Disks returns the state of every root a store was opened on.
func (s *Storage) Disks() []store.DiskStatus { return s.disks.List() }

// closeWait bounds how long Close waits for writers to finish the
// segments the stopping streams finished: a hung disk must not hang the
// server's exit.
const closeWait = 5 * time.Second

// Close waits (boundedly) for the writers of stopped streams to write
// their last segments, closes the stores and unregisters the metrics.
// Call it after the streams have stopped.
func (s *Storage) Close() {
	s.closeOnce.Do(func() { close(s.stop) })
	<-s.done
	s.metrics.close()
	s.mu.Lock()
	defer s.mu.Unlock()
	deadline := time.Now().Add(closeWait)
	for name, rec := range s.recs {
		done := make(chan struct{})
		go func() { rec.writers.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(time.Until(deadline)):
			s.log.Warn("dvr: a writer is still writing at exit", slog.String("stream", name))
		}
		rec.store.Close()
		delete(s.recs, name)
	}
}

// snapshot returns the recordings by name, for the metrics.
func (s *Storage) snapshot() map[string]*recording {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := make(map[string]*recording, len(s.recs))
	for k, v := range s.recs {
		m[k] = v
	}
	return m
}
