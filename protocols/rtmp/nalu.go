package rtmp

import "fmt"

// maxNALUsPerFrame bounds the NAL units of one access unit. mediacommon's
// AVCC parser stops at 25, which sliced encoders (x264 --slices, hardware
// encoders with one slice per row) exceed; 256 is still far below anything
// a hostile tag could use to make us allocate much.
const maxNALUsPerFrame = 256

// splitLengthPrefixed splits an AVCC/HVCC sample (NAL units each preceded by
// a big-endian length of lengthSize bytes, ISO 14496-15 §5.3.2) into NAL
// units, appended to dst. The results alias buf. Empty NAL units are skipped. We parse this
// ourselves because mediacommon's AVCC only handles 4-byte lengths, and
// lengthSizeMinusOne may legally be 0, 1 or 3.
func splitLengthPrefixed(dst [][]byte, buf []byte, lengthSize int) ([][]byte, error) {
	if lengthSize != 1 && lengthSize != 2 && lengthSize != 4 {
		return nil, fmt.Errorf("%w: NALU length size %d", ErrMalformed, lengthSize)
	}
	nalus := dst
	for len(buf) > 0 {
		if len(buf) < lengthSize {
			return nil, fmt.Errorf("%w: truncated NALU length", ErrMalformed)
		}
		n := 0
		for _, b := range buf[:lengthSize] {
			n = n<<8 | int(b)
		}
		buf = buf[lengthSize:]
		if n > len(buf) {
			return nil, fmt.Errorf("%w: NALU length %d exceeds tag (%d left)", ErrMalformed, n, len(buf))
		}
		if n > 0 {
			if len(nalus)-len(dst) == maxNALUsPerFrame {
				return nil, fmt.Errorf("%w: more than %d NALUs in a frame", ErrMalformed, maxNALUsPerFrame)
			}
			nalus = append(nalus, buf[:n:n])
		}
		buf = buf[n:]
	}
	if len(nalus) == len(dst) {
		return nil, fmt.Errorf("%w: frame without NALUs", ErrMalformed)
	}
	return nalus, nil
}
