package transcode

import (
	"fmt"

	"github.com/asticode/go-astiav"

	"streamhive/media"
)

// opusRate is Opus's one sample rate in containers (RFC 7845).
const opusRate = 48000

// opusEncoder encodes interleaved float samples (flt) at 48 kHz to Opus
// packets with libopus.
type opusEncoder struct {
	track media.Track
	cc    *astiav.CodecContext
	pkt   *astiav.Packet
	tb    astiav.Rational
}

// openOpus opens a libopus encoder producing frames of track id; free
// releases it. On error nothing is left allocated.
func openOpus(id, channels, bitrate int) (e *opusEncoder, err error) {
	routeLogs()
	codec := astiav.FindEncoderByName("libopus")
	if codec == nil {
		return nil, fmt.Errorf("%w: libopus", ErrNoEncoder)
	}
	cc := astiav.AllocCodecContext(codec)
	if cc == nil {
		return nil, fmt.Errorf("transcode: allocating libopus context")
	}
	defer func() {
		if err != nil {
			cc.Free()
		}
	}()
	layout := astiav.ChannelLayoutStereo
	if channels == 1 {
		layout = astiav.ChannelLayoutMono
	}
	if bitrate <= 0 {
		bitrate = 64000
	}
	tb := astiav.NewRational(1, opusRate)
	cc.SetSampleFormat(astiav.SampleFormatFlt)
	cc.SetSampleRate(opusRate)
	cc.SetChannelLayout(layout)
	cc.SetTimeBase(tb)
	cc.SetBitRate(int64(bitrate))
	if err := cc.Open(codec, nil); err != nil {
		return nil, fmt.Errorf("transcode: opening libopus: %w", err)
	}
	return &opusEncoder{
		track: media.Track{ID: id, Codec: media.CodecOpus, SampleRate: opusRate, Channels: layout.NbChannels()},
		cc:    cc, pkt: astiav.AllocPacket(), tb: tb,
	}, nil
}

func (e *opusEncoder) free() {
	e.pkt.Free()
	e.cc.Free()
}

// Track describes the encoder's output.
func (e *opusEncoder) Track() media.Track { return e.track }

// FrameSize is the number of samples per channel Encode takes at a time.
func (e *opusEncoder) FrameSize() int { return e.cc.FrameSize() }

// Encode encodes one block of samples. Packets before time zero (the
// encoder's pre-skip) are dropped, as AACEncoder drops its priming.
func (e *opusEncoder) Encode(r *Raw, emit func(*media.Frame)) error {
	if err := sendFrame(e.cc, r, e.tb); err != nil {
		return fmt.Errorf("transcode: libopus: %w", err)
	}
	return receive(e.cc, e.pkt, func(data []byte, pts, _ int64, _ bool) error {
		if pts < 0 {
			return nil
		}
		t := toDuration(pts, e.tb)
		emit(&media.Frame{Track: e.track.ID, DTS: t, PTS: t, Keyframe: true, Data: [][]byte{data}})
		return nil
	})
}
