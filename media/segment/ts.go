package segment

import (
	"fmt"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"

	"streamhive/media"
)

// tsBase shifts MPEG-TS timestamps so that the PCR, which mediacommon puts
// 100 ms before the DTS, is never negative.
const tsBase = 10 * time.Second

// tsMux writes one epoch's frames as MPEG-TS into out, which the segmenter
// points at the current segment's buffer. One mediacommon Writer lives for
// the whole epoch, so continuity counters run on across segments.
//
// mediacommon makes the first track written the PCR track and repeats PAT
// and PMT before each of its random-access PES packets; the segmenter writes
// a leading-track keyframe first, so every segment starts with PAT and PMT.
// (For an audio-only stream that means tables before every audio frame.)
type tsMux struct {
	out    appendWriter
	w      mpegts.Writer
	tracks []*mpegts.Track // by track ID
	media  []media.Track
}

func newTSMux(tracks []media.Track) (*tsMux, error) {
	m := &tsMux{tracks: make([]*mpegts.Track, len(tracks)), media: tracks}
	var list []*mpegts.Track
	for i, t := range tracks {
		var c mpegts.Codec
		switch t.Codec {
		case media.CodecH264:
			c = &mpegts.CodecH264{}
		case media.CodecH265:
			c = &mpegts.CodecH265{}
		case media.CodecAAC:
			var conf mpeg4audio.AudioSpecificConfig
			if err := conf.Unmarshal(t.AudioConfig); err != nil {
				return nil, fmt.Errorf("segment: aac track %d: %w", t.ID, err)
			}
			c = &mpegts.CodecMPEG4Audio{Config: conf}
		case media.CodecOpus:
			c = &mpegts.CodecOpus{ChannelCount: channels(t)}
		default:
			return nil, fmt.Errorf("segment: track %d codec %q: %w", t.ID, t.Codec, media.ErrUnsupportedCodec)
		}
		m.tracks[i] = &mpegts.Track{Codec: c}
		list = append(list, m.tracks[i])
	}
	m.w = mpegts.Writer{W: &m.out, Tracks: list}
	if err := m.w.Initialize(); err != nil {
		return nil, fmt.Errorf("segment: mpegts: %w", err)
	}
	return m, nil
}

// write muxes f with output timestamps dts and pts.
func (m *tsMux) write(f *media.Frame, dts, pts time.Duration) error {
	tr, t := m.tracks[f.Track], &m.media[f.Track]
	d, p := toUnits(dts+tsBase, 90000), toUnits(pts+tsBase, 90000)
	switch t.Codec {
	case media.CodecH264:
		au := f.Data
		if f.Keyframe && !hasH264SPS(au) { // TS has no init segment: repeat the parameter sets
			au = append([][]byte{t.SPS, t.PPS}, au...)
		}
		return m.w.WriteH264(tr, p, d, au)
	case media.CodecH265:
		au := f.Data
		if f.Keyframe && !hasH265SPS(au) {
			au = append([][]byte{t.VPS, t.SPS, t.PPS}, au...)
		}
		return m.w.WriteH265(tr, p, d, au)
	case media.CodecAAC:
		return m.w.WriteMPEG4Audio(tr, p, f.Data)
	default:
		return m.w.WriteOpus(tr, p, f.Data)
	}
}

func hasH264SPS(au [][]byte) bool {
	for _, n := range au {
		if len(n) > 0 && h264.NALUType(n[0]&0x1f) == h264.NALUTypeSPS {
			return true
		}
	}
	return false
}

func hasH265SPS(au [][]byte) bool {
	for _, n := range au {
		if len(n) > 0 && h265.NALUType((n[0]>>1)&0x3f) == h265.NALUType_SPS_NUT {
			return true
		}
	}
	return false
}
