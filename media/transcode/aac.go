package transcode

import (
	"fmt"

	"github.com/asticode/go-astiav"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"streamhive/media"
)

// AACConfig configures an AAC-LC encoder (FFmpeg's native aac). Zero fields
// take the defaults named.
type AACConfig struct {
	Track      int // Track.ID of the frames produced
	SampleRate int // default 48000
	Channels   int // 1 or 2, default 1
	Bitrate    int // bits per second, default 64000 per channel
}

func (c AACConfig) withDefaults() AACConfig {
	if c.SampleRate <= 0 {
		c.SampleRate = 48000
	}
	if c.Channels <= 0 {
		c.Channels = 1
	}
	if c.Bitrate <= 0 {
		c.Bitrate = 64000 * c.Channels
	}
	return c
}

// AACEncoder encodes planar float samples (fltp), FrameSize samples at a
// time, to raw AAC access units. See WithAACEncoder.
type AACEncoder struct {
	cfg   AACConfig
	cc    *astiav.CodecContext
	pkt   *astiav.Packet
	tb    astiav.Rational
	track media.Track
}

// WithAACEncoder opens an encoder, calls fn with it and frees it when fn
// returns. It returns fn's error.
func WithAACEncoder(cfg AACConfig, fn func(*AACEncoder) error) error {
	e, err := openAAC(cfg)
	if err != nil {
		return err
	}
	defer e.free()
	return fn(e)
}

// openAAC opens an encoder that free releases. On error nothing is left
// allocated.
func openAAC(cfg AACConfig) (e *AACEncoder, err error) {
	routeLogs()
	cfg = cfg.withDefaults()
	codec := astiav.FindEncoder(astiav.CodecIDAac)
	if codec == nil {
		return nil, fmt.Errorf("%w: aac", ErrNoEncoder)
	}
	cc := astiav.AllocCodecContext(codec)
	if cc == nil {
		return nil, fmt.Errorf("transcode: allocating aac context")
	}
	defer func() {
		if err != nil {
			cc.Free()
		}
	}()
	layout := astiav.ChannelLayoutMono
	if cfg.Channels == 2 {
		layout = astiav.ChannelLayoutStereo
	} else if cfg.Channels != 1 {
		return nil, fmt.Errorf("transcode: aac with %d channels: %w", cfg.Channels, ErrFormat)
	}
	tb := astiav.NewRational(1, cfg.SampleRate)
	cc.SetSampleFormat(astiav.SampleFormatFltp)
	cc.SetSampleRate(cfg.SampleRate)
	cc.SetChannelLayout(layout)
	cc.SetTimeBase(tb)
	cc.SetBitRate(int64(cfg.Bitrate))
	// The AudioSpecificConfig goes out of band (Track.AudioConfig), as in
	// RTMP and MP4; our frames are raw access units without ADTS headers.
	cc.SetFlags(cc.Flags().Add(astiav.CodecContextFlagGlobalHeader))
	if err := cc.Open(codec, nil); err != nil {
		return nil, fmt.Errorf("transcode: opening aac %d Hz: %w", cfg.SampleRate, err)
	}

	asc := cc.ExtraData()
	var conf mpeg4audio.AudioSpecificConfig
	if err := conf.Unmarshal(asc); err != nil {
		return nil, fmt.Errorf("transcode: aac encoder's AudioSpecificConfig: %w", err)
	}
	return &AACEncoder{cfg: cfg, cc: cc, pkt: astiav.AllocPacket(), tb: tb, track: media.Track{
		ID: cfg.Track, Codec: media.CodecAAC,
		AudioConfig: asc, SampleRate: conf.SampleRate, Channels: conf.ChannelCount,
	}}, nil
}

func (e *AACEncoder) free() {
	e.pkt.Free()
	e.cc.Free()
}

// Track describes the encoder's output.
func (e *AACEncoder) Track() media.Track { return e.track }

// FrameSize is the number of samples per channel Encode takes at a time.
func (e *AACEncoder) FrameSize() int { return e.cc.FrameSize() }

// Encode encodes one block of samples and calls emit for each access unit
// the encoder returns. The encoder delays its output by one block (its
// priming): the access unit that would start before time zero is dropped,
// so the first frame has PTS 0 and audio stays aligned with the samples'
// timestamps.
func (e *AACEncoder) Encode(r *Raw, emit func(*media.Frame)) error {
	if r.f.SampleFormat() != astiav.SampleFormatFltp || r.f.SampleRate() != e.cfg.SampleRate ||
		r.f.ChannelLayout().NbChannels() != e.cfg.Channels {
		return fmt.Errorf("%w: %s %d Hz %d channels, want fltp %d Hz %d channels", ErrFormat,
			r.f.SampleFormat(), r.f.SampleRate(), r.f.ChannelLayout().NbChannels(), e.cfg.SampleRate, e.cfg.Channels)
	}
	if err := sendFrame(e.cc, r, e.tb); err != nil {
		return fmt.Errorf("transcode: aac: %w", err)
	}
	return receive(e.cc, e.pkt, func(data []byte, pts, _ int64, _ bool) error {
		if pts < 0 {
			return nil
		}
		t := toDuration(pts, e.tb)
		emit(&media.Frame{Track: e.cfg.Track, DTS: t, PTS: t, Keyframe: true, Data: [][]byte{data}})
		return nil
	})
}
