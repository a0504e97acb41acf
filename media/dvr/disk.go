package dvr

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Disk states, as DiskStatus.State reports them.
const (
	DiskOK    = "ok"    // writable
	DiskFull  = "full"  // the last write failed for want of space (ENOSPC, EDQUOT)
	DiskError = "error" // the last write failed otherwise (EIO, a read-only remount...)
)

// RetryAfter is how long a disk whose write failed is left alone before a
// writer tries it again: long enough that a failing disk does not cost
// every segment a failed write, short enough that recording resumes
// within a couple of segments once space returns.
const RetryAfter = 2 * time.Second

// statfsEvery bounds how often a disk's size and free space are read.
const statfsEvery = 2 * time.Second

// Disk is one root directory of a DVR (a mounted disk, typically) and what
// is known of its health. Every Store that writes under the root shares
// the one *Disk (see Disks), so a failure seen by one stream's writer
// spares the others a failed write. Safe for concurrent use.
type Disk struct {
	path string

	inject atomic.Pointer[error] // fault injection (Inject)

	mu        sync.Mutex
	state     string
	retryAt   time.Time // while failed: when writes may be tried again
	errs      int64
	lastErr   string
	lastErrAt time.Time
	writes    int64 // segments written
	written   int64 // bytes written
	size      int64 // from statfs
	free      int64 // available to us, from statfs
	statAt    time.Time
}

// DiskStatus is a snapshot of a Disk.
type DiskStatus struct {
	Path        string
	State       string // DiskOK, DiskFull or DiskError
	Size        int64  // bytes of the filesystem; 0 when unknown
	Free        int64  // bytes available; 0 when unknown
	Usage       int    // percent of Size in use
	Errors      int64  // failed writes since the process started
	LastError   string
	LastErrorAt time.Time
	Writes      int64 // segments written since the process started
	Bytes       int64 // bytes written since the process started
}

// NewDisk returns a healthy Disk for root directory path. Most callers
// get theirs from a Disks registry instead.
func NewDisk(path string) *Disk { return &Disk{path: path, state: DiskOK} }

// Path returns the root directory.
func (d *Disk) Path() string { return d.path }

// Inject makes every later write to the disk fail with err, as a full or
// failing disk would (nil ends it). It exists for tests and the chaos
// harness: the failure path is the one real errors take.
func (d *Disk) Inject(err error) {
	if err == nil {
		d.inject.Store(nil)
		return
	}
	d.inject.Store(&err)
}

// injected returns the injected error, if any.
func (d *Disk) injected() error {
	if p := d.inject.Load(); p != nil {
		return *p
	}
	return nil
}

// usable reports whether a writer may try the disk at now: it is healthy,
// or its retry time has come.
func (d *Disk) usable(now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.state == DiskOK || !now.Before(d.retryAt)
}

// failed records a failed write at now and reports whether the disk was
// healthy before it (a change worth logging).
func (d *Disk) failed(err error, now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	was := d.state == DiskOK
	d.state = DiskError
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		d.state = DiskFull
	}
	d.retryAt = now.Add(RetryAfter)
	d.errs++
	d.lastErr, d.lastErrAt = err.Error(), now
	return was
}

// succeeded records a segment of n bytes written and reports whether the
// disk had failed before it (it has recovered).
func (d *Disk) succeeded(n int64) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	was := d.state != DiskOK
	d.state = DiskOK
	d.writes++
	d.written += n
	return was
}

// Status returns the disk's state, reading its size and free space at
// most every couple of seconds.
func (d *Disk) Status() DiskStatus {
	d.refresh(time.Now())
	d.mu.Lock()
	defer d.mu.Unlock()
	st := DiskStatus{
		Path: d.path, State: d.state, Size: d.size, Free: d.free,
		Errors: d.errs, LastError: d.lastErr, LastErrorAt: d.lastErrAt,
		Writes: d.writes, Bytes: d.written,
	}
	if d.size > 0 {
		st.Usage = int((d.size - d.free) * 100 / d.size)
	}
	return st
}

// refresh reads the filesystem's size and free space unless it did
// within statfsEvery. A failed statfs (the root does not exist yet) leaves
// them unknown.
func (d *Disk) refresh(now time.Time) {
	d.mu.Lock()
	fresh := now.Sub(d.statAt) < statfsEvery && !d.statAt.IsZero()
	d.mu.Unlock()
	if fresh {
		return
	}
	size, free, err := statfsOf(d.path)
	d.mu.Lock()
	defer d.mu.Unlock()
	d.statAt = now
	if err != nil {
		return
	}
	d.size, d.free = size, free
}

// statfsOf is statfs; tests replace it to play a filling disk.
var statfsOf = statfs

// statfs returns the size of the filesystem holding path and the bytes
// available to an unprivileged writer.
func statfs(path string) (size, free int64, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return 0, 0, err
	}
	bs := int64(st.Bsize) //nolint:unconvert // int64 on linux, uint32 elsewhere
	return int64(st.Blocks) * bs, int64(st.Bavail) * bs, nil
}

// Disks is a registry of Disks by root path: every Store under one root
// shares its Disk. Safe for concurrent use; the zero value is ready.
type Disks struct {
	mu sync.Mutex
	m  map[string]*Disk
}

// Get returns the Disk of root path, creating it on first use.
func (r *Disks) Get(path string) *Disk {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m == nil {
		r.m = make(map[string]*Disk)
	}
	d, ok := r.m[path]
	if !ok {
		d = NewDisk(path)
		r.m[path] = d
	}
	return d
}

// List returns the statuses of the registered disks.
func (r *Disks) List() []DiskStatus {
	r.mu.Lock()
	ds := make([]*Disk, 0, len(r.m))
	for _, d := range r.m {
		ds = append(ds, d)
	}
	r.mu.Unlock()
	out := make([]DiskStatus, len(ds))
	for i, d := range ds {
		out[i] = d.Status()
	}
	slices.SortFunc(out, func(a, b DiskStatus) int { return strings.Compare(a.Path, b.Path) })
	return out
}
