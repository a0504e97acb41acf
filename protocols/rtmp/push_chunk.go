package rtmp

import (
	"bufio"
	"encoding/binary"
	"net"
	"sync"
	"time"
)

// pushChunkSize is the chunk size a push announces (Set Chunk Size) once
// its commands are done: a video frame then takes a few chunks instead of
// hundreds of 128-byte ones.
const pushChunkSize = 4096

// Chunk stream ids of a push: ffmpeg's choice for data, video and audio.
const (
	csidControl = 2
	csidData    = 5
	csidVideo   = 6
	csidAudio   = 4
)

// pushWriter writes a push's messages after setup. The sending goroutine
// writes media; the reading goroutine answers pings: mu serialises them.
type pushWriter struct {
	mu       sync.Mutex
	conn     net.Conn
	w        *bufio.Writer
	timeout  time.Duration // bounds each flush: a receiver that stops reading fails the push
	streamID uint32
	hdr      []byte // the chunked message being written
}

// writeTag implements tagWriter: a media or data message of the
// publication's stream.
func (p *pushWriter) writeTag(typeID uint8, ts uint32, body []byte) error {
	return p.write(csidFor(typeID), typeID, p.streamID, ts, body)
}

// write sends one message in chunks of pushChunkSize (appendChunks).
func (p *pushWriter) write(csid byte, typeID uint8, streamID uint32, ts uint32, payload []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hdr = appendChunks(p.hdr[:0], pushChunkSize, csid, typeID, streamID, ts, payload)
	if _, err := p.w.Write(p.hdr); err != nil {
		return err
	}
	if err := p.conn.SetWriteDeadline(time.Now().Add(p.timeout)); err != nil {
		return err
	}
	return p.w.Flush()
}

// appendChunks appends one message to b with a type 0 header and type 3
// continuations in chunks of size (RTMP 1.0 §5.3.1). A timestamp from
// 0xFFFFFF on goes into the extended timestamp field, which each
// continuation chunk repeats (§5.3.1.3, as ffmpeg and librtmp read it).
// Type 0 headers make the message independent of what went before on its
// chunk stream.
func appendChunks(b []byte, size int, csid byte, typeID uint8, streamID uint32, ts uint32, payload []byte) []byte {
	ext := ts >= 0xffffff
	b = append(b, csid&0x3f)
	if ext {
		b = append(b, 0xff, 0xff, 0xff)
	} else {
		b = append(b, byte(ts>>16), byte(ts>>8), byte(ts))
	}
	b = append(b, byte(len(payload)>>16), byte(len(payload)>>8), byte(len(payload)), typeID)
	b = binary.LittleEndian.AppendUint32(b, streamID)
	if ext {
		b = binary.BigEndian.AppendUint32(b, ts)
	}
	for i := 0; i < len(payload); i += size {
		if i > 0 {
			b = append(b, 0xc0|csid&0x3f)
			if ext {
				b = binary.BigEndian.AppendUint32(b, ts)
			}
		}
		b = append(b, payload[i:min(i+size, len(payload))]...)
	}
	return b
}
