package rtmp

import (
	"errors"
	"net"
	"os"
	"syscall"
	"time"
)

// A publisher's encoder writes a 4 Mbit/s stream as some 200 TCP segments
// a second (a chunk or a small audio message each). Read one by one, each
// costs a wake-up of the connection's goroutine and two read system calls
// (the data, then EAGAIN before parking), for a few KB: a third of RTMP's
// CPU. readPacer sets the socket's receive low-water mark (SO_RCVLOWAT) to
// what the connection brings in readPace, so the kernel wakes the reader
// once that much is queued and one read takes it all: about 50 wake-ups a
// second. A read that finds the socket non-empty still returns at once, so
// a keyframe's burst is read at full speed.
const (
	// readPace is how long a steady stream's bytes may wait in the
	// socket: small beside a 200 ms LL-HLS part.
	readPace = 20 * time.Millisecond
	// paceWindow is how often the rate is measured and the mark reset.
	paceWindow = time.Second
	// minLowat: below this much per readPace (some 800 kbit/s) a mark
	// saves too little to set.
	minLowat = 2 << 10
	// maxLowat stays under the chunk reader's 16 KiB buffer, so one read
	// takes everything that woke it.
	maxLowat = 12 << 10
	// paceHold bounds how long bytes below the mark may wait: when the
	// stream slows or stops (the last chunks of a frame before a pause, a
	// command waiting for its reply), a read that waited this long drops
	// the mark and takes what is there.
	paceHold = 5 * readPace
)

// readPacer measures a connection's read rate and keeps its socket's
// low-water mark at readPace of it. Used by the reading goroutine only.
type readPacer struct {
	setLowat func(int) error // nil: the socket has no mark to set
	start    time.Time       // of the current measuring window
	bytes    int             // read in the window
	lowat    int             // the mark now; 1 is the kernel's default (none)
}

// newReadPacer returns a pacer for nc, or nil when nc is not a socket
// whose mark can be set (TLS, pipes, systems without SO_RCVLOWAT).
func newReadPacer(nc net.Conn, now time.Time) *readPacer {
	set := lowatSetter(nc)
	if set == nil {
		return nil
	}
	return &readPacer{setLowat: set, start: now, lowat: 1}
}

// observe counts n bytes read at now and, once per paceWindow, sets the
// mark for the rate it measured. A mark the socket refuses turns pacing
// off.
func (p *readPacer) observe(n int, now time.Time) {
	p.bytes += n
	elapsed := now.Sub(p.start)
	if elapsed < paceWindow {
		return
	}
	want := lowatFor(p.bytes, elapsed)
	p.start, p.bytes = now, 0
	if nearly(want, p.lowat) {
		return
	}
	p.set(want)
}

// lowatFor is the mark for bytes read in elapsed: readPace of that rate,
// 1 (none) below minLowat, at most maxLowat.
func lowatFor(bytes int, elapsed time.Duration) int {
	n := int(int64(bytes) * int64(readPace) / int64(elapsed))
	if n < minLowat {
		return 1
	}
	return min(n, maxLowat)
}

// nearly reports whether a mark is within an eighth of the one set, not
// worth a system call to change.
func nearly(want, have int) bool {
	d := want - have
	return d*8 <= have && -d*8 <= have
}

func (p *readPacer) set(lowat int) {
	if err := p.setLowat(lowat); err != nil {
		p.setLowat, lowat = nil, 1
	}
	p.lowat = lowat
}

// holding reports whether reads may wait for a mark.
func (p *readPacer) holding() bool { return p != nil && p.lowat > 1 && p.setLowat != nil }

// release drops the mark after a read waited paceHold; the next window
// sets it again.
func (p *readPacer) release(now time.Time) {
	p.set(1)
	p.start, p.bytes = now, 0
}

// lowatSetter returns a func setting nc's SO_RCVLOWAT, or nil.
func lowatSetter(nc net.Conn) func(int) error {
	sc, ok := nc.(syscall.Conn)
	if !ok || !canSetLowat {
		return nil
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	return func(n int) error {
		var serr error
		if err := raw.Control(func(fd uintptr) { serr = setLowat(fd, n) }); err != nil {
			return err
		}
		return serr
	}
}

// isTimeout reports whether err is a passed read deadline.
func isTimeout(err error) bool { return errors.Is(err, os.ErrDeadlineExceeded) }
