package mpegts

import (
	"errors"
	"fmt"
)

var errPES = errors.New("bad PES")

// pes is a parsed PES packet. Timestamps are 33-bit, 90 kHz.
type pes struct {
	pts, dts uint64
	hasPTS   bool
	payload  []byte // aliases the unit
}

// parsePES parses one PES packet (ISO/IEC 13818-1 §2.4.3.6, Table 2-21).
// Only stream ids that carry the optional header (audio, video, private
// stream 1) are accepted: the others carry nothing we play.
func parsePES(b []byte) (pes, error) {
	var p pes
	if len(b) < 9 || b[0] != 0 || b[1] != 0 || b[2] != 1 {
		return p, fmt.Errorf("%w: no start code", errPES)
	}
	switch id := b[3]; {
	case id == 0xbd, id >= 0xc0 && id <= 0xef: // private_stream_1, audio, video
	default:
		return p, fmt.Errorf("%w: stream_id %#x", errPES, id)
	}
	end := len(b)
	if n := int(b[4])<<8 | int(b[5]); n != 0 {
		if 6+n > len(b) {
			return p, fmt.Errorf("%w: PES_packet_length %d, %d bytes", errPES, n, len(b)-6)
		}
		end = 6 + n
	}
	if b[6]>>6 != 2 {
		return p, fmt.Errorf("%w: optional header marker", errPES)
	}
	flags, hdrLen := b[7]>>6, int(b[8])
	if 9+hdrLen > end {
		return p, fmt.Errorf("%w: PES_header_data_length %d", errPES, hdrLen)
	}
	h := b[9 : 9+hdrLen]
	switch flags {
	case 0:
	case 2:
		if len(h) < 5 {
			return p, fmt.Errorf("%w: short PTS", errPES)
		}
		p.pts, p.hasPTS = timestamp(h), true
		p.dts = p.pts
	case 3:
		if len(h) < 10 {
			return p, fmt.Errorf("%w: short PTS/DTS", errPES)
		}
		p.pts, p.dts, p.hasPTS = timestamp(h), timestamp(h[5:]), true
	default:
		return p, fmt.Errorf("%w: PTS_DTS_flags 01", errPES)
	}
	p.payload = b[9+hdrLen : end]
	return p, nil
}

// timestamp decodes a 5-byte PTS or DTS field. Marker bits are not
// checked: some muxers get them wrong and the value is still right.
func timestamp(b []byte) uint64 {
	return uint64(b[0]>>1&0x07)<<30 | uint64(b[1])<<22 | uint64(b[2]>>1)<<15 | uint64(b[3])<<7 | uint64(b[4]>>1)
}
