package mpegts

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	mcts "github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"

	"streamhive/media"
	"streamhive/media/hub"
)

// The push side: frames of a stream's hub written as one continuous
// MPEG-TS multiplex (SRT and UDP push targets). Muxing is mediacommon's
// Writer, as in media/segment; this file only maps media.Track and
// media.Frame onto it.

// Source is what a push reads: a hub consumer (*hub.Consumer). Read is
// called from one goroutine; Tracks describes the frame Read returned last.
type Source interface {
	Read(ctx context.Context) (*media.Frame, error)
	Tracks() *hub.Tracks
}

// pushTSBase shifts output timestamps so that the PCR, which mediacommon
// puts 100 ms before the DTS, is never negative.
const pushTSBase = 10 * time.Second

// PushTS reads frames from src and writes them to out as MPEG-TS until ctx
// ends, src fails (hub.ErrClosed when the stream stops) or a write fails.
// out receives whole 188-byte packets; Flush is called after each frame,
// so a datagram writer can send what it holds. Tracks that MPEG-TS cannot
// carry are left out. When the set of codecs changes mid-stream (a
// failover to a different source) it returns ErrPushTracksChanged: the
// receiver needs a new program, the caller reconnects.
func PushTS(ctx context.Context, src Source, out FlushWriter) error {
	var m *pushMux
	var origin time.Duration
	for {
		f, err := src.Read(ctx)
		if err != nil {
			return err
		}
		tracks := src.Tracks()
		if m == nil {
			if m, err = newPushMux(tracks, out); err != nil {
				return err
			}
			origin = f.DTS
		} else if tracks.Version != m.version {
			if !sameCodecs(m.tracks, tracks.List) {
				return ErrPushTracksChanged
			}
			m.retrack(tracks)
		}
		if err := m.write(f, f.DTS-origin+pushTSBase, f.PTS-origin+pushTSBase); err != nil {
			return err
		}
		if err := out.Flush(); err != nil {
			return err
		}
	}
}

// ErrPushTracksChanged is returned by PushTS when the stream's codecs
// change under a running push.
var ErrPushTracksChanged = fmt.Errorf("mpegts: push: the stream's codecs changed")

// FlushWriter is an io.Writer that can send what it buffered.
type FlushWriter interface {
	io.Writer
	Flush() error
}

// pushMux is one multiplex: a mediacommon Writer and the tracks it has.
type pushMux struct {
	w       mcts.Writer
	version uint64
	tracks  []media.Track       // the source's list (a push may carry a subset of the hub's tracks)
	byID    map[int]media.Track // tracks by ID
	out     map[int]*mcts.Track // track ID -> TS track; absent: not carried
}

func newPushMux(tracks *hub.Tracks, w io.Writer) (*pushMux, error) {
	m := &pushMux{out: map[int]*mcts.Track{}}
	m.retrack(tracks)
	var list []*mcts.Track
	// Video first: mediacommon takes the first track as the PCR track.
	for _, kind := range []media.Kind{media.KindVideo, media.KindAudio} {
		for _, t := range tracks.List {
			if t.Codec.Kind() != kind {
				continue
			}
			c := tsCodec(t)
			if c == nil {
				continue
			}
			tr := &mcts.Track{Codec: c}
			m.out[t.ID] = tr
			list = append(list, tr)
		}
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("mpegts: push: no track MPEG-TS can carry: %w", media.ErrUnsupportedCodec)
	}
	m.w = mcts.Writer{W: w, Tracks: list}
	if err := m.w.Initialize(); err != nil {
		return nil, fmt.Errorf("mpegts: push: %w", err)
	}
	return m, nil
}

// retrack takes a new track list with the same codecs: parameter sets
// travel in-band (repeated before keyframes), so the program stays.
func (m *pushMux) retrack(tracks *hub.Tracks) {
	m.version, m.tracks = tracks.Version, tracks.List
	m.byID = make(map[int]media.Track, len(tracks.List))
	for _, t := range tracks.List {
		m.byID[t.ID] = t
	}
}

func tsCodec(t media.Track) mcts.Codec {
	switch t.Codec {
	case media.CodecH264:
		return &mcts.CodecH264{}
	case media.CodecH265:
		return &mcts.CodecH265{}
	case media.CodecAAC:
		var conf mpeg4audio.AudioSpecificConfig
		if err := conf.Unmarshal(t.AudioConfig); err != nil {
			return nil
		}
		return &mcts.CodecMPEG4Audio{Config: conf}
	case media.CodecOpus:
		return &mcts.CodecOpus{ChannelCount: max(t.Channels, 1)}
	default:
		return nil
	}
}

// sameCodecs reports whether two track lists carry the same codecs under
// the same IDs.
func sameCodecs(a, b []media.Track) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID || a[i].Codec != b[i].Codec {
			return false
		}
	}
	return true
}

// write muxes f at output timestamps dts and pts; frames of tracks the
// multiplex does not carry are skipped.
func (m *pushMux) write(f *media.Frame, dts, pts time.Duration) error {
	tr, ok := m.out[f.Track]
	t, known := m.byID[f.Track]
	if !ok || !known {
		return nil
	}
	d, p := int64(dts*90000/time.Second), int64(pts*90000/time.Second)
	switch t.Codec {
	case media.CodecH264:
		au := f.Data
		if f.Keyframe && !hasNALU(au, func(n []byte) bool { return h264.NALUType(n[0]&0x1f) == h264.NALUTypeSPS }) {
			au = append([][]byte{t.SPS, t.PPS}, au...) // TS has no init segment: repeat the parameter sets
		}
		return m.w.WriteH264(tr, p, d, au)
	case media.CodecH265:
		au := f.Data
		if f.Keyframe && !hasNALU(au, func(n []byte) bool { return h265.NALUType((n[0]>>1)&0x3f) == h265.NALUType_SPS_NUT }) {
			au = append([][]byte{t.VPS, t.SPS, t.PPS}, au...)
		}
		return m.w.WriteH265(tr, p, d, au)
	case media.CodecAAC:
		return m.w.WriteMPEG4Audio(tr, p, f.Data)
	default:
		return m.w.WriteOpus(tr, p, f.Data)
	}
}

func hasNALU(au [][]byte, is func([]byte) bool) bool {
	for _, n := range au {
		if len(n) > 0 && is(n) {
			return true
		}
	}
	return false
}
