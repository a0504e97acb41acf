package rtmp

import (
	"fmt"
	"io"
)

// mediaLen is the length of an audio or video message the guard saw
// complete, so that the handler copies its payload out of go-rtmp once,
// into a buffer of its exact size, instead of into a scratch buffer and
// from there into one of its size: go-rtmp's payload reader does not tell
// its length. The length is of a message the guard has read whole, so a
// buffer of it costs no more than the peer has sent.
type mediaLen struct {
	typeID    uint8
	timestamp uint32
	length    uint32
}

// maxMediaLens bounds the lengths kept. The guard is ahead of go-rtmp's
// handler by at most what go-rtmp has buffered, a few messages; a length
// go-rtmp never hands the handler (media before a publish) is dropped by
// the next lookup or pushed out here.
const maxMediaLens = 16

// mediaLens are the lengths of the media messages the guard completed and
// the handler has not copied yet, oldest first. Both run on go-rtmp's
// connection goroutine: its handler is called from the loop that reads
// through the guard.
type mediaLens struct {
	l     []mediaLen
	probe [1]byte // reads the end of a payload (a local would escape to the heap)
}

func (q *mediaLens) push(m rtmpMessage) {
	if len(q.l) == maxMediaLens {
		q.l = q.l[:copy(q.l, q.l[1:])]
	}
	q.l = append(q.l, mediaLen{typeID: m.typeID, timestamp: m.timestamp, length: m.length})
}

// take returns the length of the message of typeID at timestamp and
// forgets it and those before it.
func (q *mediaLens) take(typeID uint8, timestamp uint32) (int, bool) {
	for i, l := range q.l {
		if l.typeID == typeID && l.timestamp == timestamp {
			q.l = q.l[:copy(q.l, q.l[i+1:])]
			return int(l.length), true
		}
	}
	q.l = q.l[:0]
	return 0, false
}

// copyPayload copies a message payload, which go-rtmp reuses after the
// callback returns, into a buffer of its own that frames may alias
// forever: read straight into one of its exact size when the guard knows
// the length, else through the scratch buffer (which grows to the largest
// message once) and then into one of its size.
func (c *serverConn) copyPayload(typeID uint8, timestamp uint32, r io.Reader) ([]byte, error) {
	if n, ok := c.lens.take(typeID, timestamp); ok {
		buf := make([]byte, n)
		k, err := io.ReadFull(r, buf)
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			return exact(buf[:k]), nil // shorter than the guard saw: never, but safe
		case err != nil:
			return nil, fmt.Errorf("rtmp: reading payload: %w", err)
		}
		if m, err := r.Read(c.lens.probe[:]); m == 0 && err == io.EOF {
			return buf, nil
		}
		c.scratch = append(append(c.scratch[:0], buf...), c.lens.probe[0]) // longer: read on below
	} else {
		c.scratch = c.scratch[:0]
	}
	if err := c.readRest(r); err != nil {
		return nil, err
	}
	return exact(c.scratch), nil
}

// exact returns a copy of b in an array of its size (bytes.Clone rounds
// the capacity up to a size class: slack every frame aliasing it would hold).
func exact(b []byte) []byte {
	out := make([]byte, len(b))
	copy(out, b)
	return out
}

// readRest appends what is left of r to the scratch buffer.
func (c *serverConn) readRest(r io.Reader) error {
	for {
		if len(c.scratch) == cap(c.scratch) {
			c.scratch = append(c.scratch, 0)[:len(c.scratch)]
		}
		n, err := r.Read(c.scratch[len(c.scratch):cap(c.scratch)])
		c.scratch = c.scratch[:len(c.scratch)+n]
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("rtmp: reading payload: %w", err)
		}
	}
}
