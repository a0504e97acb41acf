// Package mediatest provides real media for tests: a short H.264 + AAC clip
// demuxed into media.Tracks and media.Frames, and helpers to loop it into a
// longer live-like stream, and the one polling helper of our tests
// (Eventually, WaitFor). Test code only; it reads an embedded file.
package mediatest

import (
	"bytes"
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"

	"streamhive/media"
)

//go:embed testdata/clip.ts
var clipTS []byte

// ClipDuration is the period of the embedded clip: 100 video frames at
// 25 fps. Loop uses it to continue timestamps from one pass to the next.
const ClipDuration = 4 * time.Second

// Clip is the embedded clip: track 0 is H.264 320x180 25 fps with an IDR
// every 25 frames, track 1 AAC-LC 44.1 kHz stereo.
type Clip struct {
	Tracks []media.Track
	Frames []*media.Frame // in DTS order, as a live input delivers them; DTS from 0
}

// LoadClip demuxes the embedded clip. Video frames carry no AUD, SPS or PPS
// (the parameter sets are in the Track, as an RTMP input delivers them).
func LoadClip() (*Clip, error) {
	r := &mpegts.Reader{R: bytes.NewReader(clipTS)}
	if err := r.Initialize(); err != nil {
		return nil, fmt.Errorf("mediatest: %w", err)
	}
	c := &Clip{}
	var raw []rawFrame
	for _, t := range r.Tracks() {
		switch codec := t.Codec.(type) {
		case *mpegts.CodecH264:
			id := len(c.Tracks)
			c.Tracks = append(c.Tracks, media.Track{ID: id, Codec: media.CodecH264})
			r.OnDataH264(t, func(pts, dts int64, au [][]byte) error {
				raw = append(raw, videoFrame(&c.Tracks[id], pts, dts, au))
				return nil
			})
		case *mpegts.CodecMPEG4Audio:
			id := len(c.Tracks)
			asc, err := codec.Marshal()
			if err != nil {
				return nil, err
			}
			c.Tracks = append(c.Tracks, media.Track{
				ID: id, Codec: media.CodecAAC, AudioConfig: asc,
				SampleRate: codec.SampleRate, Channels: codec.ChannelCount,
			})
			rate := int64(codec.SampleRate)
			r.OnDataMPEG4Audio(t, func(pts int64, aus [][]byte) error {
				for i, au := range aus {
					ts := pts + int64(i)*1024*90000/rate
					raw = append(raw, rawFrame{track: id, pts: ts, dts: ts, key: true, data: [][]byte{au}})
				}
				return nil
			})
		}
	}
	for {
		err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("mediatest: %w", err)
		}
	}
	if len(raw) == 0 {
		return nil, errors.New("mediatest: empty clip")
	}
	// The file's muxer holds audio back by up to 0.7 s; a live input
	// (RTMP) interleaves by timestamp, and so do we.
	slices.SortStableFunc(raw, func(a, b rawFrame) int { return cmp.Compare(a.dts, b.dts) })
	origin := raw[0].dts
	for _, f := range raw {
		c.Frames = append(c.Frames, &media.Frame{
			Track: f.track, Keyframe: f.key, Data: f.data,
			DTS: ticks(f.dts - origin), PTS: ticks(f.pts - origin),
		})
	}
	return c, nil
}

type rawFrame struct {
	track    int
	pts, dts int64
	key      bool
	data     [][]byte
}

// videoFrame strips AUD, SPS and PPS from au, storing the parameter sets
// and picture size in tr.
func videoFrame(tr *media.Track, pts, dts int64, au [][]byte) rawFrame {
	f := rawFrame{track: tr.ID, pts: pts, dts: dts}
	for _, n := range au {
		switch h264.NALUType(n[0] & 0x1f) {
		case h264.NALUTypeSPS:
			tr.SPS = n
			var sps h264.SPS
			if sps.Unmarshal(n) == nil {
				tr.Width, tr.Height = sps.Width(), sps.Height()
			}
		case h264.NALUTypePPS:
			tr.PPS = n
		case h264.NALUTypeAccessUnitDelimiter:
		case h264.NALUTypeIDR:
			f.key = true
			f.data = append(f.data, n)
		default:
			f.data = append(f.data, n)
		}
	}
	return f
}

func ticks(t int64) time.Duration {
	return time.Duration(t) * time.Second / 90000
}

// Loop returns the clip's frames repeated for at least d, each pass shifted
// by ClipDuration so that timestamps keep rising. Each pass keeps the frames
// with DTS in [0, ClipDuration) (the audio runs a little longer than the
// video). Payloads are shared between passes; Frame headers are copies.
func (c *Clip) Loop(d time.Duration) []*media.Frame {
	var out []*media.Frame
	for pass := time.Duration(0); pass < d; pass += ClipDuration {
		for _, f := range c.Frames {
			if f.DTS >= ClipDuration {
				continue
			}
			g := *f
			g.DTS += pass
			g.PTS += pass
			out = append(out, &g)
		}
	}
	return out
}

// Paced returns d of live-like frames whose video runs at fps with a
// keyframe every gop frames, where the clip has 25 fps and one every 25:
// for cadences whose keyframes fall between a segmenter's part targets
// (30 fps, a 50-frame GOP). Pictures are the clip's first keyframe and
// its next picture, repeated (a segmenter reads no picture); the audio is
// the clip's, looped. Video PTS equals DTS; frames are in DTS order.
func (c *Clip) Paced(fps, gop int, d time.Duration) []*media.Frame {
	var key, delta *media.Frame
	for _, f := range c.Frames {
		switch {
		case f.Track != 0:
		case f.Keyframe && key == nil:
			key = f
		case !f.Keyframe && key != nil && delta == nil:
			delta = f
		}
	}
	var out []*media.Frame
	for i := 0; ; i++ {
		dts := time.Duration(i) * time.Second / time.Duration(fps)
		if dts >= d {
			break
		}
		src := delta
		if i%gop == 0 {
			src = key
		}
		out = append(out, &media.Frame{Track: 0, Keyframe: src.Keyframe, Data: src.Data, DTS: dts, PTS: dts})
	}
	for _, f := range c.Loop(d) {
		if f.Track != 0 && f.DTS < d {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b *media.Frame) int { return cmp.Compare(a.DTS, b.DTS) })
	return out
}
