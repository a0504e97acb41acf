package rtmp

import (
	"fmt"
	"io"
	"net"
)

// handshakeClientBytes is what a client sends before its chunk stream: C0
// (1 byte), C1 (1536) and C2 (1536) (RTMP 1.0 §5.2).
const handshakeClientBytes = 1 + 1536 + 1536

// guardConn sits between a publisher's connection and go-rtmp. go-rtmp
// decodes commands and metadata with go-amf0, which allocates whatever
// element count a strict array declares: a 20-byte command from any client
// would make the whole server die out of memory. guardConn reassembles the
// client's chunk stream itself (chunkReader) and hands go-rtmp the bytes of
// any other message than audio and video only once the whole message is
// read and, for AMF0 commands and data, checked (checkAMF0). Audio and
// video chunks pass as soon as they are read, unless a held message is
// still incomplete (the bytes go on in order): so what waits here is at
// most a read-ahead and an AMF message, not a whole keyframe. A message
// that fails ends the connection; the other publishers never notice.
// Messages in AMF3 or shared objects, which no encoder sends, are refused
// the same way.
type guardConn struct {
	net.Conn
	handshake int           // client handshake bytes still to pass through
	tee       *byteRecorder // what cr has read from Conn, not yet handed on
	cr        *chunkReader  // parses the same bytes go-rtmp will
	ready     int           // bytes at the start of tee.unread() that may be handed on
	lens      *mediaLens    // where the lengths of completed media messages go; nil: nowhere
}

func newGuardConn(c net.Conn) *guardConn {
	g := &guardConn{Conn: c, handshake: handshakeClientBytes, tee: &byteRecorder{r: c}}
	g.cr = newChunkReader(g.tee)
	g.cr.keep = checked // media payloads are only counted, not copied a second time
	return g
}

// byteRecorder keeps a copy of the bytes read through it until they are
// consumed, in one buffer it reuses.
type byteRecorder struct {
	r    io.Reader
	buf  []byte
	head int // buf[:head] is consumed
}

func (r *byteRecorder) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if r.head > 0 && len(r.buf)+n > cap(r.buf) {
		r.buf = r.buf[:copy(r.buf, r.buf[r.head:])]
		r.head = 0
	}
	r.buf = append(r.buf, p[:n]...)
	return n, err
}

func (r *byteRecorder) unread() []byte { return r.buf[r.head:] }

func (r *byteRecorder) consume(n int) {
	r.head += n
	if r.head == len(r.buf) {
		r.buf, r.head = r.buf[:0], 0
	}
}

// Read implements net.Conn for go-rtmp.
func (g *guardConn) Read(p []byte) (int, error) {
	if g.handshake > 0 {
		n, err := g.Conn.Read(p[:min(len(p), g.handshake)])
		g.handshake -= n
		return n, err
	}
	for g.ready == 0 {
		m, done, err := g.cr.next()
		if err != nil {
			return 0, err
		}
		if done {
			if err := checkMessage(m); err != nil {
				return 0, err
			}
			if g.lens != nil && passes(m.typeID) {
				g.lens.push(m)
			}
		}
		if !g.cr.holding(passes) {
			// Everything the chunk reader consumed may go; what it
			// buffered ahead may not yet.
			g.ready = len(g.tee.unread()) - g.cr.r.Buffered()
		}
	}
	n := copy(p, g.tee.unread()[:g.ready])
	g.tee.consume(n)
	g.ready -= n
	return n, nil
}

// passes reports whether a message type's chunks go on before the
// message is complete: media, which go-rtmp only copies.
func passes(typeID uint8) bool { return typeID == msgAudio || typeID == msgVideo }

// Message types a publisher never needs, whose decoding we do not check.
const (
	msgDataAMF3         = 15
	msgSharedObjectAMF3 = 16
	msgCommandAMF3      = 17
	msgSharedObjectAMF0 = 19
	msgAggregate        = 22
)

// checked reports whether checkMessage reads a message type's payload.
func checked(typeID uint8) bool { return typeID == msgCommandAMF0 || typeID == msgDataAMF0 }

// checkMessage refuses a message go-rtmp must not decode.
func checkMessage(m rtmpMessage) error {
	switch m.typeID {
	case msgCommandAMF0, msgDataAMF0:
		return checkAMF0(m.payload)
	case msgDataAMF3, msgSharedObjectAMF3, msgCommandAMF3, msgSharedObjectAMF0, msgAggregate:
		return fmt.Errorf("%w: message type %d is not accepted from a publisher", ErrMalformed, m.typeID)
	}
	return nil
}
