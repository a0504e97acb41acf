package rtsp

import (
	"errors"
	"fmt"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtpmpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/pion/rtp"

	"streamhive/media"
)

// audioTrack is the audio format a session carries. Its configuration
// comes whole from the SDP, so it is publishable from the start.
type audioTrack struct {
	medi  *description.Media
	forma format.Format
	track media.Track // ID set when published
	// depacketize returns the access units one packet carries: AAC
	// packs several, Opus one. Nil, nil: more packets are needed.
	depacketize func(*rtp.Packet) ([][]byte, error)
	// step is the duration of one access unit in clock ticks (AAC: 1024
	// or 960 samples). Opus packets are one each, so step is unused.
	step int64
}

// newAudioTrack returns the track for an AAC (MPEG-4 generic) or Opus
// format; ok is false for other formats.
func newAudioTrack(medi *description.Media, f format.Format) (*audioTrack, bool, error) {
	switch f := f.(type) {
	case *format.MPEG4Audio:
		if f.Config == nil {
			return nil, true, fmt.Errorf("rtsp: AAC without a config in the SDP: %w", media.ErrUnsupportedCodec)
		}
		asc, err := f.Config.Marshal()
		if err != nil {
			return nil, true, fmt.Errorf("rtsp: AAC config: %w", err)
		}
		dec, err := f.CreateDecoder()
		if err != nil {
			return nil, true, err
		}
		step := int64(mpeg4audio.SamplesPerAccessUnit)
		if f.Config.FrameLengthFlag {
			step = 960
		}
		return &audioTrack{
			medi: medi, forma: f, step: step,
			track: media.Track{
				Codec: media.CodecAAC, AudioConfig: asc,
				SampleRate: f.Config.SampleRate, Channels: f.Config.ChannelCount,
			},
			depacketize: func(pkt *rtp.Packet) ([][]byte, error) {
				aus, err := dec.Decode(pkt)
				if errors.Is(err, rtpmpeg4audio.ErrMorePacketsNeeded) {
					return nil, nil
				}
				return aus, err
			},
		}, true, nil
	case *format.Opus:
		channels := f.ChannelCount
		if channels == 0 {
			channels = 2
		}
		return &audioTrack{
			medi: medi, forma: f,
			track: media.Track{Codec: media.CodecOpus, SampleRate: 48000, Channels: channels},
			depacketize: func(pkt *rtp.Packet) ([][]byte, error) {
				if len(pkt.Payload) == 0 {
					return nil, errors.New("rtsp: empty Opus packet")
				}
				return [][]byte{pkt.Payload}, nil
			},
		}, true, nil
	}
	return nil, false, nil
}
