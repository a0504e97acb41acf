package mpegts

import (
	"bytes"
	"fmt"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"

	"streamhive/media"
)

// NAL unit types we look at (H.264 Table 7-1, H.265 Table 7-1).
const (
	h264SPS, h264PPS, h264AUD          = 7, 8, 9
	h265VPS, h265SPS, h265PPS, h265AUD = 32, 33, 34, 35
	h265IRAPFirst, h265IRAPLast        = 16, 23
)

// typicalNALUs is room for an access unit's NAL units that mostly
// suffices (delimiter, parameter sets, SEI, one slice), in its frame.
const typicalNALUs = 6

// onVideo handles one H.264/H.265 access unit in Annex B form (a PES
// payload holds one access unit, ITU-T H.222.0 §2.14 and Amd. 3). Access
// unit delimiters are dropped; parameter sets stay in the frame and are
// remembered. Frames before the first keyframe that has parameter sets
// are dropped without counting: that is where a live stream is joined.
func (d *Demuxer) onVideo(es *elementary, dts, pts int64, payload []byte) error {
	f := &frame{es: es, dts: dts, pts: pts}
	au, err := splitAnnexB(f.units[:0], payload)
	if err != nil {
		return d.dropUnit(err)
	}
	nalus := au[:0]
	key := false
	for _, n := range au {
		if len(n) == 0 {
			continue
		}
		typ, hevc := int(n[0]&0x1f), es.codec == media.CodecH265
		if hevc {
			typ = int(n[0]>>1) & 0x3f
		}
		switch {
		case !hevc && typ == h264AUD, hevc && typ == h265AUD:
			continue
		case !hevc && typ == h264SPS, hevc && typ == h265SPS:
			es.sps = n
		case !hevc && typ == h264PPS, hevc && typ == h265PPS:
			es.pps = n
		case hevc && typ == h265VPS:
			es.vps = n
		case !hevc && typ == int(h264.NALUTypeIDR), hevc && typ >= h265IRAPFirst && typ <= h265IRAPLast:
			key = true
		}
		nalus = append(nalus, n)
	}
	if len(nalus) == 0 {
		d.broken()
		return nil
	}
	if key {
		if err := d.videoConfig(es); err != nil {
			return err
		}
	}
	if !es.ready {
		return nil
	}
	f.key, f.data = key, nalus
	d.emit(f)
	return nil
}

// videoConfig takes the parameter sets in force at a keyframe as the
// track's configuration. Once published, a different SPS (or VPS) ends
// the demux with ErrTracksChanged: the track's configuration is what
// fMP4 init segments carry.
func (d *Demuxer) videoConfig(es *elementary) error {
	hevc := es.codec == media.CodecH265
	if es.sps == nil || es.pps == nil || (hevc && es.vps == nil) {
		return nil // not yet: wait for a keyframe that carries them
	}
	if es.ready && bytes.Equal(es.sps, es.track.SPS) && bytes.Equal(es.vps, es.track.VPS) {
		es.track.PPS = es.pps
		return nil
	}
	if es.id >= 0 {
		return fmt.Errorf("%w: %s SPS on PID %d", ErrTracksChanged, es.codec, es.pid)
	}
	w, h, err := pictureSize(hevc, es.sps)
	if err != nil {
		return d.dropUnit(err)
	}
	es.track = media.Track{Codec: es.codec, VPS: es.vps, SPS: es.sps, PPS: es.pps, Width: w, Height: h}
	es.ready = true
	return nil
}

func pictureSize(hevc bool, sps []byte) (int, int, error) {
	if hevc {
		var s h265.SPS
		if err := s.Unmarshal(sps); err != nil {
			return 0, 0, err
		}
		return s.Width(), s.Height(), nil
	}
	var s h264.SPS
	if err := s.Unmarshal(sps); err != nil {
		return 0, 0, err
	}
	return s.Width(), s.Height(), nil
}
