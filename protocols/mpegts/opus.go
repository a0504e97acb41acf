package mpegts

import (
	"errors"
	"fmt"
)

var errOpus = errors.New("bad Opus access unit")

// parseOpus splits a PES payload into Opus packets. Each is preceded by
// an opus_control_header ("Encapsulation of Opus in MPEG-2 Transport
// Streams", opus-codec.org, §5.2): an 11-bit prefix 0x3ff, start/end trim
// and extension flags, au_size as a run of 0xff bytes plus a last byte,
// then the optional trim and extension fields.
func parseOpus(b []byte) ([][]byte, error) {
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 3 || b[0] != 0x7f || b[1]&0xe0 != 0xe0 {
			return nil, fmt.Errorf("%w: no control header prefix", errOpus)
		}
		startTrim, endTrim, ext := b[1]&0x10 != 0, b[1]&0x08 != 0, b[1]&0x04 != 0
		i, size := 2, 0
		for ; i < len(b); i++ {
			size += int(b[i])
			if b[i] != 0xff {
				break
			}
		}
		i++
		if startTrim {
			i += 2
		}
		if endTrim {
			i += 2
		}
		if ext {
			if i >= len(b) {
				return nil, fmt.Errorf("%w: truncated control extension", errOpus)
			}
			i += 1 + int(b[i])
		}
		if size == 0 || i+size > len(b) {
			return nil, fmt.Errorf("%w: au_size %d of %d bytes", errOpus, size, len(b)-min(i, len(b)))
		}
		out = append(out, b[i:i+size:i+size])
		b = b[i+size:]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: empty", errOpus)
	}
	return out, nil
}
