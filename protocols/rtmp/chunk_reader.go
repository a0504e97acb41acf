package rtmp

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// The pull client speaks RTMP's chunk layer itself: go-rtmp v0.0.7's client
// cannot play (a stream it creates has no state handler and panics on its
// first message) and its chunk streamer sends acknowledgements through a
// callback only its own connection can set. The server side stays on
// go-rtmp.

// RTMP message type ids (RTMP 1.0 §5.4, §7.1).
const (
	msgSetChunkSize  = 1
	msgAbort         = 2
	msgAck           = 3
	msgUserControl   = 4
	msgWinAckSize    = 5
	msgSetPeerBW     = 6
	msgAudio         = 8
	msgVideo         = 9
	msgDataAMF0      = 18
	msgCommandAMF0   = 20
	maxChunkSizeSpec = 0x7fffffff
)

// rtmpMessage is one reassembled message. payload is owned by the caller.
type rtmpMessage struct {
	typeID    uint8
	streamID  uint32
	timestamp uint32
	length    uint32 // the payload's, also when the reader did not keep it
	payload   []byte
}

// chunkStream is the reader's state for one chunk stream id.
type chunkStream struct {
	timestamp uint32
	delta     uint32
	length    uint32
	typeID    uint8
	streamID  uint32
	extended  bool   // the last header carried an extended timestamp
	got       uint32 // bytes of the message read so far
	buf       []byte // the message being reassembled (unless its type is discarded)
}

// chunkReader reassembles messages from chunks (RTMP 1.0 §5.3). Not safe
// for concurrent use.
type chunkReader struct {
	r         *bufio.Reader
	chunkSize uint32
	streams   map[uint32]*chunkStream
	hdr       [11]byte

	// keep, when set, says which message types' payloads are wanted;
	// the others are read past and returned with no payload (the
	// server's guard needs only the AMF messages, not the media).
	keep func(typeID uint8) bool
}

// maxReaderChunkStreams bounds the chunk stream ids a peer may use; real
// servers use fewer than ten.
const maxReaderChunkStreams = 64

// readPiece is how much of a chunk is read (and allocated) at a time.
const readPiece = 64 * 1024

func newChunkReader(r io.Reader) *chunkReader {
	return &chunkReader{r: bufio.NewReaderSize(r, 16*1024), chunkSize: 128, streams: map[uint32]*chunkStream{}}
}

// readMessage returns the next complete message. Protocol control messages
// that concern the chunk layer itself (Set Chunk Size, Abort) are applied
// and returned too, so the caller sees everything.
func (cr *chunkReader) readMessage() (rtmpMessage, error) {
	for {
		m, done, err := cr.next()
		if err != nil || done {
			return m, err
		}
	}
}

// holding reports whether a message is part read whose type does not
// pass: the bytes after its first chunk must wait until it is complete.
func (cr *chunkReader) holding(passes func(typeID uint8) bool) bool {
	for _, cs := range cr.streams {
		if cs.got > 0 && !passes(cs.typeID) {
			return true
		}
	}
	return false
}

// next reads one chunk and returns the message it completes, if any,
// applying those of the chunk layer itself.
func (cr *chunkReader) next() (rtmpMessage, bool, error) {
	m, done, err := cr.readChunk()
	if err != nil || !done {
		return m, done, err
	}
	switch m.typeID {
	case msgSetChunkSize:
		if len(m.payload) < 4 {
			return m, false, fmt.Errorf("%w: Set Chunk Size of %d bytes", ErrMalformed, len(m.payload))
		}
		size := binary.BigEndian.Uint32(m.payload) & maxChunkSizeSpec
		if size == 0 {
			return m, false, fmt.Errorf("%w: chunk size 0", ErrMalformed)
		}
		cr.chunkSize = size
	case msgAbort:
		if len(m.payload) >= 4 {
			if cs := cr.streams[binary.BigEndian.Uint32(m.payload)]; cs != nil {
				cs.buf, cs.got = nil, 0
			}
		}
	}
	return m, true, nil
}

// readChunk reads one chunk and returns the message it completes, if any.
func (cr *chunkReader) readChunk() (rtmpMessage, bool, error) {
	var m rtmpMessage
	b0, err := cr.r.ReadByte()
	if err != nil {
		return m, false, err
	}
	format := b0 >> 6
	csid := uint32(b0 & 0x3f)
	switch csid {
	case 0:
		b, err := cr.r.ReadByte()
		if err != nil {
			return m, false, err
		}
		csid = 64 + uint32(b)
	case 1:
		if _, err := io.ReadFull(cr.r, cr.hdr[:2]); err != nil {
			return m, false, err
		}
		csid = 64 + uint32(cr.hdr[0]) + uint32(cr.hdr[1])<<8
	}
	cs := cr.streams[csid]
	if cs == nil {
		if format != 0 {
			return m, false, fmt.Errorf("%w: chunk stream %d starts with a type %d header", ErrMalformed, csid, format)
		}
		if len(cr.streams) >= maxReaderChunkStreams {
			return m, false, fmt.Errorf("%w: more than %d chunk streams", ErrMalformed, maxReaderChunkStreams)
		}
		cs = &chunkStream{}
		cr.streams[csid] = cs
	}
	if err := cr.readHeader(cs, format); err != nil {
		return m, false, err
	}

	// Grow the buffer as the data arrives, a piece at a time, so that a
	// peer announcing large messages and chunks costs memory only for what
	// it actually sends.
	// The chunk layer's own messages are always kept: readMessage applies them.
	keep := cr.keep == nil || cs.typeID == msgSetChunkSize || cs.typeID == msgAbort || cr.keep(cs.typeID)
	for n := min(cs.length-cs.got, cr.chunkSize); n > 0; {
		piece := min(n, readPiece)
		if keep {
			start := len(cs.buf)
			cs.buf = growMessage(cs.buf, int(piece), int(cs.length))
			if _, err := io.ReadFull(cr.r, cs.buf[start:]); err != nil {
				return m, false, err
			}
		} else if _, err := cr.r.Discard(int(piece)); err != nil {
			return m, false, err
		}
		cs.got += piece
		n -= piece
	}
	if cs.got < cs.length {
		return m, false, nil
	}
	m = rtmpMessage{typeID: cs.typeID, streamID: cs.streamID, timestamp: cs.timestamp, length: cs.length, payload: cs.buf}
	cs.buf, cs.got = nil, 0
	return m, true, nil
}

// growMessage extends buf, a message of length bytes being reassembled,
// by n bytes. The array is made at the message's size when that is at
// most readPiece (every audio and video frame but the largest: read
// straight into the array frames alias, no copy, no slack but the
// allocator's rounding), and otherwise at least doubles, never past
// length (append grew it a chunk at a time, copying the message so far
// each time, and left up to an eighth of a large one unused). What it reserves ahead of the data
// is bounded as a chunk piece is (readPiece), or by what has arrived: a
// peer announcing large messages still costs memory only for what it
// sends.
func growMessage(buf []byte, n, length int) []byte {
	need := len(buf) + n
	if need > cap(buf) {
		size := min(max(2*cap(buf), need, min(length, readPiece)), max(length, need))
		grown := make([]byte, len(buf), size)
		copy(grown, buf)
		buf = grown
	}
	return buf[:need]
}

// readHeader reads a chunk's message header of the given format into cs
// and advances its timestamp when the chunk starts a message.
func (cr *chunkReader) readHeader(cs *chunkStream, format byte) error {
	sizes := [4]int{11, 7, 3, 0}
	h := cr.hdr[:sizes[format]]
	if _, err := io.ReadFull(cr.r, h); err != nil {
		return err
	}
	starting := cs.got == 0
	var ts uint32
	if format <= 2 {
		ts = uint32(h[0])<<16 | uint32(h[1])<<8 | uint32(h[2])
		cs.extended = ts == 0xffffff
	}
	if format <= 1 {
		cs.length = uint32(h[3])<<16 | uint32(h[4])<<8 | uint32(h[5])
		cs.typeID = h[6]
		if !starting {
			return fmt.Errorf("%w: new message header inside a message", ErrMalformed)
		}
	}
	if format == 0 {
		cs.streamID = binary.LittleEndian.Uint32(h[7:11])
	}
	if cs.extended {
		// Also present on type 3 chunks after an extended header, as
		// ffmpeg, librtmp and nginx-rtmp write them.
		var ext [4]byte
		if _, err := io.ReadFull(cr.r, ext[:]); err != nil {
			return err
		}
		if format <= 2 {
			ts = binary.BigEndian.Uint32(ext[:])
		}
	}
	if !starting {
		return nil
	}
	if cs.length == 0 {
		return fmt.Errorf("%w: empty message", ErrMalformed)
	}
	switch format {
	case 0:
		cs.timestamp = ts
		cs.delta = 0
	case 1, 2:
		cs.delta = ts
		cs.timestamp += ts
	case 3:
		cs.timestamp += cs.delta
	}
	return nil
}
