// Package mp4track reads an ISO BMFF sample description (stsd) into a
// media.Track: the codec, its parameter sets or AudioSpecificConfig, the
// picture size, the sample rate. The MP4 file input and the fMP4 segments
// of HLS pull read tracks through it.
package mp4track

import (
	"errors"
	"fmt"

	"github.com/Eyevinn/mp4ff/mp4"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"streamhive/media"
)

// ErrNoConfig is returned when a sample entry lacks its decoder
// configuration (SPS/PPS, VPS, AudioSpecificConfig), or carries one that
// does not parse.
var ErrNoConfig = errors.New("mp4track: bad or missing decoder configuration")

// HEVC parameter set NAL unit types (H.265 Table 7-1).
const hevcVPS, hevcSPS, hevcPPS = 32, 33, 34

// opusRate is Opus's fixed RTP and decoding clock.
const opusRate = 48000

// FromStsd reads the first sample description. A codec StreamHive does
// not carry gives a Track with no Codec and no error.
func FromStsd(stsd *mp4.StsdBox) (media.Track, error) {
	switch {
	case stsd.AvcX != nil && stsd.AvcX.AvcC != nil:
		return avc(stsd.AvcX.AvcC)
	case stsd.HvcX != nil && stsd.HvcX.HvcC != nil:
		return hevc(stsd.HvcX.HvcC)
	case stsd.Mp4a != nil:
		return aac(stsd.Mp4a)
	case stsd.Opus != nil:
		ch := int(stsd.Opus.ChannelCount)
		if stsd.Opus.Dops != nil {
			ch = int(stsd.Opus.Dops.OutputChannelCount)
		}
		return media.Track{Codec: media.CodecOpus, SampleRate: opusRate, Channels: ch}, nil
	}
	return media.Track{}, nil
}

func avc(c *mp4.AvcCBox) (media.Track, error) {
	if len(c.SPSnalus) == 0 || len(c.PPSnalus) == 0 {
		return media.Track{}, fmt.Errorf("%w: avcC without SPS or PPS", ErrNoConfig)
	}
	var sps h264.SPS
	if err := sps.Unmarshal(c.SPSnalus[0]); err != nil {
		return media.Track{}, fmt.Errorf("%w: avcC SPS: %w", ErrNoConfig, err)
	}
	return media.Track{
		Codec: media.CodecH264, SPS: c.SPSnalus[0], PPS: c.PPSnalus[0],
		Width: sps.Width(), Height: sps.Height(),
	}, nil
}

func hevc(c *mp4.HvcCBox) (media.Track, error) {
	t := media.Track{Codec: media.CodecH265}
	for _, a := range c.NaluArrays {
		if len(a.Nalus) == 0 {
			continue
		}
		switch int(a.NaluType()) {
		case hevcVPS:
			t.VPS = a.Nalus[0]
		case hevcSPS:
			t.SPS = a.Nalus[0]
		case hevcPPS:
			t.PPS = a.Nalus[0]
		}
	}
	if t.VPS == nil || t.SPS == nil || t.PPS == nil {
		return media.Track{}, fmt.Errorf("%w: hvcC without VPS, SPS or PPS", ErrNoConfig)
	}
	var sps h265.SPS
	if err := sps.Unmarshal(t.SPS); err != nil {
		return media.Track{}, fmt.Errorf("%w: hvcC SPS: %w", ErrNoConfig, err)
	}
	t.Width, t.Height = sps.Width(), sps.Height()
	return t, nil
}

func aac(e *mp4.AudioSampleEntryBox) (media.Track, error) {
	d := e.Esds
	if d == nil || d.DecConfigDescriptor == nil || d.DecConfigDescriptor.DecSpecificInfo == nil {
		return media.Track{}, fmt.Errorf("%w: mp4a without AudioSpecificConfig", ErrNoConfig)
	}
	asc := d.DecConfigDescriptor.DecSpecificInfo.DecConfig
	var cfg mpeg4audio.AudioSpecificConfig
	if err := cfg.Unmarshal(asc); err != nil {
		return media.Track{}, fmt.Errorf("%w: AudioSpecificConfig: %w", ErrNoConfig, err)
	}
	return media.Track{Codec: media.CodecAAC, AudioConfig: asc, SampleRate: cfg.SampleRate, Channels: cfg.ChannelCount}, nil
}
