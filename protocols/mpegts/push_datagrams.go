package mpegts

import "io"

// DatagramSize is the payload of one UDP or SRT datagram carrying TS:
// seven 188-byte packets, the most that fits a 1500-byte Ethernet MTU with
// IP, UDP (and SRT's 16-byte header) around it, and what receivers expect.
const DatagramSize = 7 * 188

// Datagrams cuts a TS byte stream into datagrams of DatagramSize, each
// written to W with one Write call; Flush sends a shorter last one. Not
// safe for concurrent use.
type Datagrams struct {
	W   io.Writer
	buf [DatagramSize]byte
	n   int
}

// Write buffers p and sends every full datagram.
func (d *Datagrams) Write(p []byte) (int, error) {
	total := len(p)
	for len(p) > 0 {
		c := copy(d.buf[d.n:], p)
		d.n += c
		p = p[c:]
		if d.n == DatagramSize {
			if err := d.Flush(); err != nil {
				return total - len(p), err
			}
		}
	}
	return total, nil
}

// Flush sends what is buffered, if anything.
func (d *Datagrams) Flush() error {
	if d.n == 0 {
		return nil
	}
	n := d.n
	d.n = 0
	_, err := d.W.Write(d.buf[:n])
	return err
}

var _ FlushWriter = (*Datagrams)(nil)

// CountingWriter passes writes to W and the number of bytes written to
// Add (a push target's byte counter).
type CountingWriter struct {
	W   io.Writer
	Add func(n int)
}

func (c CountingWriter) Write(p []byte) (int, error) {
	n, err := c.W.Write(p)
	if n > 0 && c.Add != nil {
		c.Add(n)
	}
	return n, err
}
