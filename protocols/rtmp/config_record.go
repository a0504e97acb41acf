package rtmp

import (
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"

	"streamhive/media"
)

// videoConfig is what a video sequence header tells us: the parameter sets
// (without start codes), the picture size and the NALU length size that the
// coded frames use.
type videoConfig struct {
	codec         media.Codec
	vps, sps, pps []byte
	width, height int
	lengthSize    int
}

// parseAVCConfig parses an AVCDecoderConfigurationRecord (ISO 14496-15
// §5.3.3.1) and the first SPS in it. Results alias buf.
func parseAVCConfig(buf []byte) (videoConfig, error) {
	c := videoConfig{codec: media.CodecH264}
	if len(buf) < 6 {
		return c, fmt.Errorf("%w: AVC config record of %d bytes", ErrMalformed, len(buf))
	}
	if buf[0] != 1 {
		return c, fmt.Errorf("%w: AVC config record version %d", ErrMalformed, buf[0])
	}
	c.lengthSize = int(buf[4]&0x03) + 1
	pos := 5
	numSPS := int(buf[pos] & 0x1f)
	pos++
	for i := 0; i < numSPS; i++ {
		nalu, next, err := readU16Prefixed(buf, pos)
		if err != nil {
			return c, err
		}
		if c.sps == nil {
			c.sps = nalu
		}
		pos = next
	}
	if pos >= len(buf) {
		return c, fmt.Errorf("%w: AVC config record without PPS count", ErrMalformed)
	}
	numPPS := int(buf[pos])
	pos++
	for i := 0; i < numPPS; i++ {
		nalu, next, err := readU16Prefixed(buf, pos)
		if err != nil {
			return c, err
		}
		if c.pps == nil {
			c.pps = nalu
		}
		pos = next
	}
	if c.sps == nil || c.pps == nil {
		return c, fmt.Errorf("%w: AVC config record without SPS or PPS", ErrMalformed)
	}
	var sps h264.SPS
	if err := sps.Unmarshal(c.sps); err != nil {
		return c, fmt.Errorf("%w: H.264 SPS: %w", ErrMalformed, err)
	}
	c.width, c.height = sps.Width(), sps.Height()
	return c, nil
}

// hvccHeaderSize is the fixed part of an HEVCDecoderConfigurationRecord
// (ISO 14496-15 §8.3.3.1.2), up to and including numOfArrays.
const hvccHeaderSize = 23

// parseHEVCConfig parses an HEVCDecoderConfigurationRecord and the first SPS
// in it. Results alias buf.
func parseHEVCConfig(buf []byte) (videoConfig, error) {
	c := videoConfig{codec: media.CodecH265}
	if len(buf) < hvccHeaderSize {
		return c, fmt.Errorf("%w: HEVC config record of %d bytes", ErrMalformed, len(buf))
	}
	if buf[0] != 1 {
		return c, fmt.Errorf("%w: HEVC config record version %d", ErrMalformed, buf[0])
	}
	c.lengthSize = int(buf[21]&0x03) + 1
	numArrays := int(buf[22])
	pos := hvccHeaderSize
	for i := 0; i < numArrays; i++ {
		if pos+3 > len(buf) {
			return c, fmt.Errorf("%w: truncated HEVC config array", ErrMalformed)
		}
		typ := h265.NALUType(buf[pos] & 0x3f)
		n := int(buf[pos+1])<<8 | int(buf[pos+2])
		pos += 3
		for j := 0; j < n; j++ {
			nalu, next, err := readU16Prefixed(buf, pos)
			if err != nil {
				return c, err
			}
			pos = next
			switch {
			case typ == h265.NALUType_VPS_NUT && c.vps == nil:
				c.vps = nalu
			case typ == h265.NALUType_SPS_NUT && c.sps == nil:
				c.sps = nalu
			case typ == h265.NALUType_PPS_NUT && c.pps == nil:
				c.pps = nalu
			}
		}
	}
	if c.vps == nil || c.sps == nil || c.pps == nil {
		return c, fmt.Errorf("%w: HEVC config record without VPS, SPS or PPS", ErrMalformed)
	}
	var sps h265.SPS
	if err := sps.Unmarshal(c.sps); err != nil {
		return c, fmt.Errorf("%w: H.265 SPS: %w", ErrMalformed, err)
	}
	c.width, c.height = sps.Width(), sps.Height()
	return c, nil
}

// readU16Prefixed reads a NAL unit preceded by a 16-bit length at pos and
// returns it (aliasing buf) and the position after it.
func readU16Prefixed(buf []byte, pos int) ([]byte, int, error) {
	if pos+2 > len(buf) {
		return nil, 0, fmt.Errorf("%w: truncated parameter set length", ErrMalformed)
	}
	n := int(buf[pos])<<8 | int(buf[pos+1])
	pos += 2
	if n == 0 || pos+n > len(buf) {
		return nil, 0, fmt.Errorf("%w: parameter set length %d", ErrMalformed, n)
	}
	return buf[pos : pos+n : pos+n], pos + n, nil
}
