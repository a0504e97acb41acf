package rtsp

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/pion/rtp"

	"streamhive/media"
	"streamhive/media/hub"
)

// Source is what a stream's readers are fed from: a hub consumer narrowed
// to one rendition. Read is called from one goroutine; Tracks describes
// the frame Read returned last.
type Source interface {
	Read(ctx context.Context) (*media.Frame, error)
	Tracks() *hub.Tracks
}

// Player is implemented by Hooks that serve readers (rtsp://HOST/NAME:
// DESCRIBE, SETUP, PLAY; RTP interleaved over TCP or over UDP).
type Player interface {
	// Play admits one reader of name, at its DESCRIBE (or its first SETUP
	// when it sent none); ctx carries PublishInfoFrom (the reader's
	// address, URL query, Basic credentials and User-Agent). A refusal
	// wrapping ErrNotFound is answered 404, one wrapping ErrUnauthorized
	// 401, any other 403.
	Play(ctx context.Context, name media.StreamName) (*Viewing, error)
	// Frames subscribes to stream name when its first reader comes: one
	// Source packetised once for all its readers, until the last leaves;
	// release ends it. Errors are answered as Play's.
	Frames(ctx context.Context, name media.StreamName) (src Source, release func(), err error)
}

// Viewing is one admitted reader's session.
type Viewing struct {
	// Sent is told the bytes sent to the reader.
	Sent func(n int)
	// Ended is closed when the reader must go (kicked, banned): the
	// server closes its session.
	Ended <-chan struct{}
	// Close is called once when the reader has gone.
	Close func()
}

// ErrNotFound marks a Player's refusal that is answered 404: no such
// stream, or it does not serve RTSP.
var ErrNotFound = errors.New("rtsp: not found")

// firstFrameTimeout bounds the wait for a stream's first frame, which
// tells its tracks, when its first reader comes.
const firstFrameTimeout = 10 * time.Second

// packetiser turns one track's frames into RTP packets for a stream's
// readers.
type packetiser struct {
	medi  *description.Media
	clock int // RTP clock rate
	enc   interface {
		Encode([][]byte) ([]*rtp.Packet, error)
	}
}

// packetisers describe the tracks of list that go to readers (the first
// video and the first audio track gortsplib can packetise), keyed by
// track ID, with the session description they make.
func packetisers(list []media.Track) (map[int]*packetiser, *description.Session, error) {
	out := map[int]*packetiser{}
	desc := &description.Session{Title: "StreamHive"}
	have := map[media.Kind]bool{}
	for _, t := range list {
		k := t.Codec.Kind()
		if have[k] {
			continue
		}
		p, err := newPacketiser(t, uint8(96+len(out)))
		if err != nil || p == nil {
			continue // a codec readers are not sent
		}
		have[k] = true
		out[t.ID] = p
		desc.Medias = append(desc.Medias, p.medi)
	}
	if len(out) == 0 {
		return nil, nil, fmt.Errorf("rtsp: no H.264, H.265, AAC or Opus track to play: %w", media.ErrUnsupportedCodec)
	}
	return out, desc, nil
}

// newPacketiser returns t's packetiser, nil for a codec not served.
func newPacketiser(t media.Track, pt uint8) (*packetiser, error) {
	switch t.Codec {
	case media.CodecH264:
		f := &format.H264{PayloadTyp: pt, SPS: t.SPS, PPS: t.PPS, PacketizationMode: 1}
		enc, err := f.CreateEncoder()
		return videoPacketiser(f, enc, err)
	case media.CodecH265:
		f := &format.H265{PayloadTyp: pt, VPS: t.VPS, SPS: t.SPS, PPS: t.PPS}
		enc, err := f.CreateEncoder()
		return videoPacketiser(f, enc, err)
	case media.CodecAAC:
		var conf mpeg4audio.AudioSpecificConfig
		if err := conf.Unmarshal(t.AudioConfig); err != nil {
			return nil, err
		}
		f := &format.MPEG4Audio{PayloadTyp: pt, Config: &conf, SizeLength: 13, IndexLength: 3, IndexDeltaLength: 3}
		enc, err := f.CreateEncoder()
		if err != nil {
			return nil, err
		}
		return &packetiser{medi: audioMedia(f), clock: f.ClockRate(), enc: enc}, nil
	case media.CodecOpus:
		f := &format.Opus{PayloadTyp: pt, ChannelCount: max(t.Channels, 1)}
		enc, err := f.CreateEncoder()
		if err != nil {
			return nil, err
		}
		return &packetiser{medi: audioMedia(f), clock: f.ClockRate(), enc: opusEncoder{enc}}, nil
	default:
		return nil, nil
	}
}

func videoPacketiser(f format.Format, enc interface {
	Encode([][]byte) ([]*rtp.Packet, error)
}, err error,
) (*packetiser, error) {
	if err != nil {
		return nil, err
	}
	return &packetiser{medi: &description.Media{Type: description.MediaTypeVideo, Formats: []format.Format{f}}, clock: f.ClockRate(), enc: enc}, nil
}

func audioMedia(f format.Format) *description.Media {
	return &description.Media{Type: description.MediaTypeAudio, Formats: []format.Format{f}}
}

// opusEncoder adapts the one-packet-per-frame Opus encoder.
type opusEncoder struct {
	enc interface {
		Encode([]byte) (*rtp.Packet, error)
	}
}

func (e opusEncoder) Encode(data [][]byte) ([]*rtp.Packet, error) {
	if len(data) != 1 {
		return nil, fmt.Errorf("rtsp: an Opus frame of %d packets", len(data))
	}
	p, err := e.enc.Encode(data[0])
	if err != nil {
		return nil, err
	}
	return []*rtp.Packet{p}, nil
}

// packets returns f's RTP packets, stamped with its presentation time
// from origin in the track's clock.
func (p *packetiser) packets(f *media.Frame, origin time.Duration) ([]*rtp.Packet, error) {
	pkts, err := p.enc.Encode(f.Data)
	if err != nil {
		return nil, err
	}
	ts := uint32(int64(f.PTS-origin) * int64(p.clock) / int64(time.Second))
	for _, pkt := range pkts {
		pkt.Timestamp += ts
	}
	return pkts, nil
}
