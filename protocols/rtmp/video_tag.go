package rtmp

import (
	"fmt"

	"streamhive/media"
)

// tagKind says what a parsed tag carries.
type tagKind int

const (
	tagIgnored   tagKind = iota // valid but carries nothing for us (end of sequence, metadata, command frames)
	tagSeqHeader                // codec configuration
	tagCoded                    // one access unit
)

// videoTag is one parsed RTMP video message (an FLV VIDEODATA body).
type videoTag struct {
	kind     tagKind
	codec    media.Codec
	keyframe bool
	cts      int32       // composition time offset in ms: PTS = DTS + cts
	config   videoConfig // tagSeqHeader
	payload  []byte      // tagCoded: length-prefixed NAL units, aliasing the message
}

// Legacy FLV video codec ids (FLV spec v10.1 §E.4.3.1). 12 is the HEVC
// extension that Chinese CDNs and older OBS/ffmpeg forks use.
const (
	flvCodecAVC  = 7
	flvCodecHEVC = 12
)

// FLV frame types.
const (
	flvFrameKey     = 1
	flvFrameCommand = 5
)

// Enhanced RTMP v1 packet types ("Enhanced RTMP", Veovera, §"Extending the
// VideoTagHeader").
const (
	exSequenceStart = 0
	exCodedFrames   = 1
	exSequenceEnd   = 2
	exCodedFramesX  = 3
	exMetadata      = 4
	exMPEG2TSStart  = 5
)

// parseVideoTag parses a video message: the legacy AVC (and codec id 12
// HEVC) layout or Enhanced RTMP with FourCC avc1/hvc1. Sequence headers are
// parsed fully; coded frames are returned as their length-prefixed payload,
// split later with the length size of the stream's sequence header. The
// result aliases buf.
func parseVideoTag(buf []byte) (videoTag, error) {
	var t videoTag
	if len(buf) < 1 {
		return t, fmt.Errorf("%w: empty video tag", ErrMalformed)
	}
	if buf[0]&0x80 != 0 {
		return parseExVideoTag(buf)
	}
	frameType := buf[0] >> 4
	if frameType == flvFrameCommand {
		return t, nil
	}
	switch buf[0] & 0x0f {
	case flvCodecAVC:
		t.codec = media.CodecH264
	case flvCodecHEVC:
		t.codec = media.CodecH265
	default:
		return t, fmt.Errorf("rtmp: FLV video codec id %d: %w", buf[0]&0x0f, media.ErrUnsupportedCodec)
	}
	t.keyframe = frameType == flvFrameKey
	if len(buf) < 5 {
		return t, fmt.Errorf("%w: video tag of %d bytes", ErrMalformed, len(buf))
	}
	t.cts = si24(buf[2:5])
	body := buf[5:]
	switch buf[1] {
	case 0:
		return withConfig(t, body)
	case 1:
		t.kind = tagCoded
		t.payload = body
		return t, nil
	case 2:
		return t, nil
	default:
		return t, fmt.Errorf("%w: AVC packet type %d", ErrMalformed, buf[1])
	}
}

func parseExVideoTag(buf []byte) (videoTag, error) {
	var t videoTag
	if len(buf) < 5 {
		return t, fmt.Errorf("%w: enhanced video tag of %d bytes", ErrMalformed, len(buf))
	}
	frameType := (buf[0] >> 4) & 0x07
	packetType := buf[0] & 0x0f
	if frameType == flvFrameCommand {
		return t, nil
	}
	switch fourCC := string(buf[1:5]); fourCC {
	case "avc1":
		t.codec = media.CodecH264
	case "hvc1":
		t.codec = media.CodecH265
	default:
		return t, fmt.Errorf("rtmp: enhanced RTMP FourCC %q: %w", fourCC, media.ErrUnsupportedCodec)
	}
	t.keyframe = frameType == flvFrameKey
	body := buf[5:]
	switch packetType {
	case exSequenceStart:
		return withConfig(t, body)
	case exCodedFrames:
		if len(body) < 3 {
			return t, fmt.Errorf("%w: coded frames without composition time", ErrMalformed)
		}
		t.cts = si24(body[:3])
		t.kind = tagCoded
		t.payload = body[3:]
		return t, nil
	case exCodedFramesX:
		t.kind = tagCoded
		t.payload = body
		return t, nil
	case exSequenceEnd, exMetadata, exMPEG2TSStart:
		return t, nil
	default:
		return t, fmt.Errorf("%w: enhanced video packet type %d", ErrMalformed, packetType)
	}
}

// withConfig parses a sequence header body into t.
func withConfig(t videoTag, body []byte) (videoTag, error) {
	var err error
	if t.codec == media.CodecH265 {
		t.config, err = parseHEVCConfig(body)
	} else {
		t.config, err = parseAVCConfig(body)
	}
	if err != nil {
		return t, err
	}
	t.kind = tagSeqHeader
	t.cts = 0
	return t, nil
}

// si24 decodes a big-endian signed 24-bit integer.
func si24(b []byte) int32 {
	v := int32(b[0])<<16 | int32(b[1])<<8 | int32(b[2])
	return v << 8 >> 8
}
