package rtmp

import (
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"streamhive/media"
)

// audioTag is one parsed RTMP audio message (an FLV AUDIODATA body).
type audioTag struct {
	kind    tagKind
	codec   media.Codec
	config  audioConfig // tagSeqHeader
	payload []byte      // tagCoded: one raw AAC access unit, aliasing the message
}

// audioConfig is an AAC AudioSpecificConfig and what it says.
type audioConfig struct {
	asc        []byte
	sampleRate int
	channels   int
}

// flvSoundAAC is the FLV SoundFormat of AAC (FLV spec v10.1 §E.4.2.1).
const flvSoundAAC = 10

// parseAudioTag parses an audio message. Only AAC is supported; other
// sound formats wrap media.ErrUnsupportedCodec. The result aliases buf.
func parseAudioTag(buf []byte) (audioTag, error) {
	var t audioTag
	if len(buf) < 1 {
		return t, fmt.Errorf("%w: empty audio tag", ErrMalformed)
	}
	if format := buf[0] >> 4; format != flvSoundAAC {
		return t, fmt.Errorf("rtmp: FLV sound format %d: %w", format, media.ErrUnsupportedCodec)
	}
	t.codec = media.CodecAAC
	if len(buf) < 2 {
		return t, fmt.Errorf("%w: AAC tag without packet type", ErrMalformed)
	}
	body := buf[2:]
	switch buf[1] {
	case 0:
		var asc mpeg4audio.AudioSpecificConfig
		if err := asc.Unmarshal(body); err != nil {
			return t, fmt.Errorf("%w: AudioSpecificConfig: %w", ErrMalformed, err)
		}
		t.kind = tagSeqHeader
		t.config = audioConfig{asc: body, sampleRate: asc.SampleRate, channels: asc.ChannelCount}
		return t, nil
	case 1:
		if len(body) == 0 {
			return t, fmt.Errorf("%w: empty AAC frame", ErrMalformed)
		}
		t.kind = tagCoded
		t.payload = body
		return t, nil
	default:
		return t, fmt.Errorf("%w: AAC packet type %d", ErrMalformed, buf[1])
	}
}
