package transcode

import (
	"errors"
	"fmt"

	"github.com/asticode/go-astiav"

	"streamhive/media"
)

// packetTimeBase is the time base of the packets decoders are fed and so
// of the Raws they return: MPEG's 90 kHz for audio and video alike.
var packetTimeBase = astiav.NewRational(1, 90000)

// decoder decodes the frames of one track (H.264, H.265, AAC or Opus) to
// Raws. A keyframe of a video track is fed with the track's parameter sets
// in front, so a source that sends them only out of band decodes too.
type decoder struct {
	track  media.Track
	params [][]byte // video parameter sets; nil for audio
	cc     *astiav.CodecContext
	pkt    *astiav.Packet
	frame  *astiav.Frame
	raw    Raw
}

// openDecoder opens a decoder for track that free releases. On error
// nothing is left allocated.
func openDecoder(track media.Track) (d *decoder, err error) {
	routeLogs()
	var id astiav.CodecID
	var params [][]byte
	switch track.Codec {
	case media.CodecH264, media.CodecH265:
		if id, params, err = decoderFor(track); err != nil {
			return nil, err
		}
	case media.CodecAAC:
		id = astiav.CodecIDAac
	case media.CodecOpus:
		id = astiav.CodecIDOpus
	default:
		return nil, fmt.Errorf("transcode: decoding %s: %w", track.Codec, media.ErrUnsupportedCodec)
	}
	codec := astiav.FindDecoder(id)
	if codec == nil {
		return nil, fmt.Errorf("transcode: no %s decoder", track.Codec)
	}
	cc := astiav.AllocCodecContext(codec)
	if cc == nil {
		return nil, fmt.Errorf("transcode: allocating %s decoder", track.Codec)
	}
	defer func() {
		if err != nil {
			cc.Free()
		}
	}()
	cc.SetTimeBase(packetTimeBase)
	if track.Codec.Kind() == media.KindVideo {
		cc.SetThreadCount(1) // frame threads would add a frame of delay each
	} else {
		if len(track.AudioConfig) > 0 {
			if err := cc.SetExtraData(track.AudioConfig); err != nil {
				return nil, fmt.Errorf("transcode: %s decoder config: %w", track.Codec, err)
			}
		}
		if track.SampleRate > 0 {
			cc.SetSampleRate(track.SampleRate)
		}
		switch track.Channels {
		case 1:
			cc.SetChannelLayout(astiav.ChannelLayoutMono)
		case 2:
			cc.SetChannelLayout(astiav.ChannelLayoutStereo)
		}
	}
	if err := cc.Open(codec, nil); err != nil {
		return nil, fmt.Errorf("transcode: opening %s decoder: %w", track.Codec, err)
	}
	frame := astiav.AllocFrame()
	d = &decoder{track: track, params: params, cc: cc, pkt: astiav.AllocPacket(), frame: frame}
	d.raw = Raw{f: frame, tb: packetTimeBase}
	return d, nil
}

func (d *decoder) free() {
	d.frame.Free()
	d.pkt.Free()
	d.cc.Free()
}

// decode feeds f and calls fn with every picture or block of samples the
// decoder returns; the Raw is valid during the call only.
func (d *decoder) decode(f *media.Frame, fn func(*Raw) error) error {
	var data []byte
	if d.params != nil {
		var params [][]byte
		if f.Keyframe {
			params = d.params
		}
		data = annexB(params, f.Data)
	} else {
		if len(f.Data) == 0 {
			return nil
		}
		data = f.Data[0]
	}
	if err := d.pkt.FromData(data); err != nil {
		return fmt.Errorf("transcode: packet: %w", err)
	}
	d.pkt.SetPts(astiav.RescaleQ(int64(f.PTS), nanoTimeBase, packetTimeBase))
	d.pkt.SetDts(astiav.RescaleQ(int64(f.DTS), nanoTimeBase, packetTimeBase))
	err := d.cc.SendPacket(d.pkt)
	d.pkt.Unref()
	if err != nil && !errors.Is(err, astiav.ErrEagain) {
		return fmt.Errorf("%w: %s: %w", ErrDecode, d.track.Codec, err)
	}
	for {
		err := d.cc.ReceiveFrame(d.frame)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrDecode, d.track.Codec, err)
		}
		if d.frame.Pts() == astiav.NoPtsValue {
			d.frame.SetPts(astiav.RescaleQ(int64(f.PTS), nanoTimeBase, packetTimeBase))
		}
		err = fn(&d.raw)
		d.frame.Unref()
		if err != nil {
			return err
		}
	}
}
