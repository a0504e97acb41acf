package mpegts

import (
	"errors"
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
)

var errADTS = errors.New("bad ADTS")

// adtsSampleRates are the sampling_frequency_index values (ISO/IEC
// 14496-3 Table 1.18).
var adtsSampleRates = [13]int{96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350}

// adtsFrame is one ADTS frame: its configuration and raw access unit.
type adtsFrame struct {
	objectType int // profile + 1: 2 is AAC-LC
	sampleRate int
	channels   int
	au         []byte // aliases the input
}

// parseADTS splits a PES payload into ADTS frames (ISO/IEC 14496-3
// §1.A.2.2). Unlike mediacommon's parser it accepts frames protected by a
// CRC (broadcast encoders send them), skipping the CRC word; frames with
// several raw data blocks or a channel configuration given in-band (0)
// are refused.
func parseADTS(b []byte) ([]adtsFrame, error) {
	var out []adtsFrame
	for len(b) > 0 {
		if len(b) < 7 || b[0] != 0xff || b[1]&0xf6 != 0xf0 {
			return nil, fmt.Errorf("%w: no syncword", errADTS)
		}
		hdr := 7
		if b[1]&1 == 0 {
			hdr = 9
		}
		f := adtsFrame{objectType: int(b[2]>>6) + 1, channels: int(b[2]&1)<<2 | int(b[3]>>6)}
		idx := int(b[2]>>2) & 0x0f
		if idx >= len(adtsSampleRates) {
			return nil, fmt.Errorf("%w: sampling_frequency_index %d", errADTS, idx)
		}
		f.sampleRate = adtsSampleRates[idx]
		switch f.channels {
		case 0:
			return nil, fmt.Errorf("%w: channel_configuration 0", errADTS)
		case 7:
			f.channels = 8
		}
		if b[6]&3 != 0 {
			return nil, fmt.Errorf("%w: %d raw data blocks", errADTS, b[6]&3+1)
		}
		n := int(b[3]&3)<<11 | int(b[4])<<3 | int(b[5]>>5)
		if n <= hdr || n > len(b) {
			return nil, fmt.Errorf("%w: frame_length %d of %d bytes", errADTS, n, len(b))
		}
		f.au = b[hdr:n:n]
		out = append(out, f)
		b = b[n:]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: empty", errADTS)
	}
	return out, nil
}

// audioSpecificConfig encodes what an ADTS header says as an
// AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1).
func (f adtsFrame) audioSpecificConfig() ([]byte, error) {
	asc := mpeg4audio.AudioSpecificConfig{
		Type:         mpeg4audio.ObjectType(f.objectType),
		SampleRate:   f.sampleRate,
		ChannelCount: f.channels,
	}
	return asc.Marshal()
}
