package rtmp

import (
	"bytes"
	"encoding/binary"
	"time"

	"github.com/yutopp/go-rtmp/message"

	"streamhive/media"
)

// FLV tag bodies for a push (FLV v10.1 §E.4.2, §E.4.3): H.264 and AAC,
// the codecs classic RTMP carries. H.265 and Opus need Enhanced RTMP,
// which receivers of this generation (ffmpeg 5) do not read; tracks of
// those codecs are not pushed.

// pushable reports whether a push over RTMP carries track t.
func pushable(t media.Track) bool {
	switch t.Codec {
	case media.CodecH264:
		return len(t.SPS) >= 4 && len(t.PPS) > 0
	case media.CodecAAC:
		return len(t.AudioConfig) > 0
	default:
		return false
	}
}

// avcConfigRecord builds an AVCDecoderConfigurationRecord (ISO 14496-15
// §5.3.3.1) with one SPS and one PPS and 4-byte NALU lengths.
func avcConfigRecord(sps, pps []byte) []byte {
	b := make([]byte, 0, 11+len(sps)+len(pps))
	b = append(b, 1, sps[1], sps[2], sps[3], 0xff, 0xe1)
	b = binary.BigEndian.AppendUint16(b, uint16(len(sps)))
	b = append(b, sps...)
	b = append(b, 1)
	b = binary.BigEndian.AppendUint16(b, uint16(len(pps)))
	return append(b, pps...)
}

// sequenceHeader is the tag that tells the receiver a track's decoder
// configuration: an AVC sequence header or an AAC AudioSpecificConfig.
func sequenceHeader(t media.Track) (typeID uint8, body []byte) {
	if t.Codec == media.CodecH264 {
		return msgVideo, append([]byte{0x17, 0, 0, 0, 0}, avcConfigRecord(t.SPS, t.PPS)...)
	}
	return msgAudio, append([]byte{0xaf, 0}, t.AudioConfig...)
}

// appendFrameTag appends f's tag body to b: for video, the frame type,
// the composition time (PTS - DTS, ms) and the NAL units with 4-byte
// lengths; for AAC, the raw access unit.
func appendFrameTag(b []byte, t media.Track, f *media.Frame) (typeID uint8, body []byte) {
	if t.Codec != media.CodecH264 {
		b = append(b, 0xaf, 1)
		for _, d := range f.Data {
			b = append(b, d...)
		}
		return msgAudio, b
	}
	kind := byte(0x27)
	if f.Keyframe {
		kind = 0x17
	}
	cts := int32((f.PTS - f.DTS) / time.Millisecond)
	b = append(b, kind, 1, byte(cts>>16), byte(cts>>8), byte(cts))
	for _, n := range f.Data {
		b = binary.BigEndian.AppendUint32(b, uint32(len(n)))
		b = append(b, n...)
	}
	return msgVideo, b
}

// metadata is the @setDataFrame onMetaData message that receivers (ffmpeg,
// nginx-rtmp, CDNs) read to describe the stream before its first frame:
// the AMF0 values names, then the object. A player's writer is given the
// object alone (no names) and sends it as an onMetaData data message.
func metadata(tracks []media.Track, names ...string) ([]byte, error) {
	md := map[string]any{"encoder": "StreamHive"}
	for _, t := range tracks {
		switch t.Codec {
		case media.CodecH264:
			md["videocodecid"] = 7.0
			md["width"], md["height"] = float64(t.Width), float64(t.Height)
		case media.CodecAAC:
			md["audiocodecid"] = 10.0
			md["audiosamplerate"] = float64(t.SampleRate)
			md["stereo"] = t.Channels >= 2
		default: // not pushed (see pushable): nothing to describe
		}
	}
	var buf bytes.Buffer
	enc := message.NewAMFEncoder(&buf, message.EncodingTypeAMF0)
	vals := make([]any, 0, len(names)+1)
	for _, n := range names {
		vals = append(vals, n)
	}
	for _, v := range append(vals, md) {
		if err := enc.Encode(v); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}
