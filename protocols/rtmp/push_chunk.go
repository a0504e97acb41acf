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
	hdr      []byte
}

// write sends one message with a type 0 header and type 3 continuations
// in chunks of pushChunkSize (RTMP 1.0 §5.3.1). A timestamp from
// 0xFFFFFF on goes into the extended timestamp field, which each
// continuation chunk repeats (§5.3.1.3, as ffmpeg and librtmp read it).
func (p *pushWriter) write(csid byte, typeID uint8, streamID uint32, ts uint32, payload []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	ext := ts >= 0xffffff
	h := p.hdr[:0]
	h = append(h, csid&0x3f)
	if ext {
		h = append(h, 0xff, 0xff, 0xff)
	} else {
		h = append(h, byte(ts>>16), byte(ts>>8), byte(ts))
	}
	h = append(h, byte(len(payload)>>16), byte(len(payload)>>8), byte(len(payload)), typeID)
	h = binary.LittleEndian.AppendUint32(h, streamID)
	if ext {
		h = binary.BigEndian.AppendUint32(h, ts)
	}
	p.hdr = h
	if _, err := p.w.Write(h); err != nil {
		return err
	}
	for i := 0; i < len(payload); i += pushChunkSize {
		if i > 0 {
			cont := []byte{0xc0 | csid&0x3f}
			if ext {
				cont = binary.BigEndian.AppendUint32(cont, ts)
			}
			if _, err := p.w.Write(cont); err != nil {
				return err
			}
		}
		if _, err := p.w.Write(payload[i:min(i+pushChunkSize, len(payload))]); err != nil {
			return err
		}
	}
	if err := p.conn.SetWriteDeadline(time.Now().Add(p.timeout)); err != nil {
		return err
	}
	return p.w.Flush()
}
