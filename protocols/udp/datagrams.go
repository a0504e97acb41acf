package udp

import (
	"net"
	"time"

	"streamhive/media"
)

// A 4 Mbit/s MPEG-TS stream over UDP is some 380 datagrams a second.
// Read one by one, each costs a wake-up of the reading goroutine and two
// system calls (the datagram, then EAGAIN before parking). datagrams reads
// what the socket holds, up to a batch per system call where the system
// has recvmmsg; and when a read found the socket empty and was woken for
// a few datagrams sooner than readPace, it waits until readPace has passed
// before the next: so a sender that trickles datagrams is read some 50
// times a second, a batch each time, and one that sends in bursts once a
// burst. A stream fast enough to fill
// half a batch within readPace is read without waiting; what a wait lets
// queue is at most readPace of it, well inside the socket buffer.
const (
	// readPace: small beside a 200 ms LL-HLS part.
	readPace = 20 * time.Millisecond
	// slotSize is the room a datagram gets in the batch; 7 TS packets
	// with an RTP header (1328 bytes) fit. A larger datagram, cut short
	// by the kernel, is counted, dropped, and the slots grow to fit the
	// next one.
	slotSize = 2 << 10
	// maxBatch bounds the datagrams read by one system call.
	maxBatch = 32
)

// datagrams reads datagrams into the caller's buffer one after another,
// without their RTP headers, skipping empty ones. Used by one goroutine.
type datagrams struct {
	conn  *net.UDPConn
	batch *batchReader // nil: one datagram per read
	stats *media.InputStats
	slot  int       // room per datagram in a batch
	last  time.Time // end of the last read
	quiet bool      // the last batch was small and came soon: wait before the next
	sizes [maxBatch]int
}

func newDatagrams(conn *net.UDPConn, stats *media.InputStats) *datagrams {
	return &datagrams{conn: conn, batch: newBatchReader(conn, maxBatch), stats: stats, slot: slotSize}
}

// Read fills p with the TS of one or more datagrams.
func (d *datagrams) Read(p []byte) (int, error) {
	for {
		n, err := d.read(p)
		if n > 0 || err != nil {
			return n, err
		}
	}
}

func (d *datagrams) read(p []byte) (int, error) {
	if d.batch == nil || len(p) < 2*d.slot {
		n, err := d.conn.Read(p)
		if err != nil {
			return 0, err
		}
		return copy(p, stripRTP(p[:n])), nil
	}
	if d.quiet {
		time.Sleep(time.Until(d.last.Add(readPace)))
	}
	count := min(maxBatch, len(p)/d.slot)
	start := time.Now()
	got, parked, err := d.batch.read(p, d.slot, d.sizes[:count])
	d.last = time.Now()
	if err != nil {
		return 0, err
	}
	// Only a read that found the socket empty and was woken within
	// readPace for a few datagrams shows a sender that trickles: one
	// that found its datagrams waiting, or waited readPace or more for
	// them, serves a sender in bursts, and waiting before the next read
	// would only add a wake-up.
	d.quiet = parked && 2*got < count && d.last.Sub(start) < readPace
	return d.compact(p, got), nil
}

// compact moves the TS of the got datagrams read into p's slots to the
// front of p, dropping RTP headers, empty datagrams and cut ones.
func (d *datagrams) compact(p []byte, got int) int {
	w, grow := 0, false
	for i, size := range d.sizes[:got] {
		if size > d.slot { // the kernel cut it to the slot
			d.stats.Errors.Add(1)
			grow = true
			continue
		}
		w += copy(p[w:], stripRTP(p[i*d.slot:i*d.slot+size]))
	}
	if grow {
		d.slot = min(2*d.slot, len(p)/2)
	}
	return w
}
