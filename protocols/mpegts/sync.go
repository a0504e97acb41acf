package mpegts

import (
	"io"

	"streamhive/media"
)

// Packet layout (ISO/IEC 13818-1 §2.4.3.2).
const (
	packetSize = 188
	syncByte   = 0x47
)

// readChunk is how much the framer asks its reader for at once: a UDP
// datagram of 7 packets fits many times over, and a stream reader gets
// few system calls.
const readChunk = 64 << 10

// framer cuts a byte stream into aligned 188-byte packets. A packet is
// taken when it starts with the sync byte and either the byte after it is
// a sync byte too, or the stream ends there, or no packet start (a sync
// byte confirmed by another one packetSize later) lies inside it: so a
// packet cut short is skipped rather than glued to the next one, and a
// whole packet followed by garbage is kept. Each run of skipped bytes
// counts one sync error. Used by one goroutine.
type framer struct {
	r     io.Reader
	stats *media.InputStats

	buf        []byte
	start, end int   // unread bytes are buf[start:end]
	err        error // the reader's error, returned once buf runs dry
	skipping   bool  // inside a run of skipped bytes
	zeroReads  int   // consecutive reads that returned nothing and no error
}

func newFramer(r io.Reader, stats *media.InputStats) *framer {
	return &framer{r: r, stats: stats, buf: make([]byte, 2*readChunk)}
}

// next returns the next packet, aliasing the framer's buffer until the
// following call. Normally it looks one byte past the packet; only when
// that byte is not a sync byte does it need a second packet's worth.
func (f *framer) next() ([]byte, error) {
	for {
		n := f.end - f.start
		if n <= packetSize && f.err == nil {
			f.fill()
			continue
		}
		if n < packetSize {
			if n > 0 { // a truncated last packet
				f.skip(n)
			}
			return nil, f.err
		}
		b := f.buf[f.start:f.end]
		if b[0] != syncByte {
			f.skip(resync(b, 1))
			continue
		}
		if n > packetSize && b[packetSize] != syncByte {
			if n <= 2*packetSize && f.err == nil {
				f.fill()
				continue
			}
			if i := resync(b[:min(n, 2*packetSize)], 1); i < packetSize {
				f.skip(i) // a packet starts inside this one: it was cut short
				continue
			}
		}
		f.start += packetSize
		f.skipping = false
		f.stats.TS.Packets.Add(1)
		return b[:packetSize], nil
	}
}

// resync returns the offset, from 'from' on, of the first plausible
// packet start in b: a sync byte followed by another packetSize later, or
// one too close to the end of b to check. len(b) when there is none.
func resync(b []byte, from int) int {
	for i := from; i < len(b); i++ {
		if b[i] == syncByte && (i+packetSize >= len(b) || b[i+packetSize] == syncByte) {
			return i
		}
	}
	return len(b)
}

func (f *framer) skip(n int) {
	f.start += n
	if !f.skipping {
		f.stats.TS.SyncErrors.Add(1)
		f.skipping = true
	}
}

// fill reads once from the reader, first moving the unread bytes to the
// front of the buffer.
func (f *framer) fill() {
	if f.start > 0 {
		f.end = copy(f.buf, f.buf[f.start:f.end])
		f.start = 0
	}
	n, err := f.r.Read(f.buf[f.end:min(len(f.buf), f.end+readChunk)])
	f.end += n
	f.stats.Bytes.Add(uint64(n))
	switch {
	case err != nil:
		f.err = err
	case n > 0:
		f.zeroReads = 0
	default: // io.Reader allows (0, nil) but discourages it; don't spin forever
		f.zeroReads++
		if f.zeroReads > 100 {
			f.err = io.ErrNoProgress
		}
	}
}
