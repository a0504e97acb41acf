// Package media is StreamHive's data model: stream names, tracks and the
// immutable frames that travel from inputs through a stream's hub to its
// consumers. It imports no other top-level package of ours.
package media

import (
	"errors"
	"time"
)

// StreamName names a stream (Flussonic's media_name: "cam1", "live/bunny").
type StreamName string

// Codec identifies a track's codec.
type Codec string

// Codecs StreamHive carries. G.711 appears so inputs can name what they
// received even where a stream cannot carry it.
const (
	CodecH264 Codec = "h264"
	CodecH265 Codec = "h265"
	CodecAAC  Codec = "aac"
	CodecOpus Codec = "opus"
	CodecPCMA Codec = "pcma"
	CodecPCMU Codec = "pcmu"
)

// Kind tells video from audio.
type Kind string

// Track kinds, named as the Control API's media_info names them.
const (
	KindVideo Kind = "video"
	KindAudio Kind = "audio"
)

// Kind returns the kind of a codec's track.
func (c Codec) Kind() Kind {
	switch c {
	case CodecH264, CodecH265:
		return KindVideo
	default:
		return KindAudio
	}
}

// Track describes one elementary stream. A Track is immutable once it has
// been handed to a hub; replace it rather than editing it.
type Track struct {
	ID    int // index in the stream's track list, as Frame.Track refers to it
	Codec Codec

	// Video: parameter sets without start codes (H.264 SPS, PPS; H.265 VPS,
	// SPS, PPS) and the picture size they describe.
	VPS, SPS, PPS []byte
	Width, Height int

	// Audio: the AAC AudioSpecificConfig (raw bytes), sample rate and
	// channel count. Opus sets SampleRate 48000.
	AudioConfig []byte
	SampleRate  int
	Channels    int
}

// Frame is one access unit of one track. Frames are shared read-only by every
// consumer of a hub: nobody may modify a Frame or its Data after it has been
// written to a Sink.
type Frame struct {
	Track    int           // Track.ID
	DTS, PTS time.Duration // from the stream's time origin
	Keyframe bool          // video: an IDR/IRAP access unit; audio: always true

	// Data holds the payload. Video: the NAL units of one access unit without
	// start codes or length prefixes. Audio: one element, one raw AAC access
	// unit or one Opus packet.
	Data [][]byte
}

// Size returns the payload size in bytes.
func (f *Frame) Size() int {
	n := 0
	for _, b := range f.Data {
		n += len(b)
	}
	return n
}

// Sink receives frames. Implementations are safe for use by one writer
// goroutine at a time and never retain the caller past the call.
type Sink interface {
	WriteFrame(f *Frame)
}

// Shared sentinels.
var (
	// ErrUnsupportedCodec is returned when a source carries a codec the
	// stream cannot carry. Restarting the input does not fix it.
	ErrUnsupportedCodec = errors.New("unsupported codec")
)
