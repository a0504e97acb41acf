package rtsp

import (
	"errors"
	"fmt"
	"slices"

	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph264"
	"github.com/bluenviron/gortsplib/v4/pkg/format/rtph265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/pion/rtp"

	"streamhive/media"
)

// videoCodec is what differs between H.264 and H.265 on the way from RTP
// packets to frames. Implementations are driven by one goroutine at a time
// (the ingest's lock).
type videoCodec interface {
	codec() media.Codec
	// depacketize feeds one packet and returns a completed access unit,
	// nil when more packets are needed, or an error when the packet is
	// unusable (errMidUnit: harmlessly so).
	depacketize(pkt *rtp.Packet) ([][]byte, error)
	// splitsOnTimestamp reports whether depacketize also returns the
	// previous unit when a packet with a new timestamp arrives.
	splitsOnTimestamp() bool
	// learn records the parameter sets au carries in band.
	learn(au [][]byte, ps *paramSets)
	keyframe(au [][]byte) bool
	// dts derives the decoding time of au from its presentation time
	// (90 kHz ticks); ps are prepended for the extractor when au lacks
	// them. resetDTS forgets the reordering state after an error.
	dts(au [][]byte, pts int64, ps paramSets) (int64, error)
	resetDTS()
	// track describes the video from its parameter sets.
	track(ps paramSets) (media.Track, error)
}

// paramSets are a video track's parameter sets, without start codes. VPS
// is H.265 only.
type paramSets struct{ vps, sps, pps []byte }

func (p paramSets) complete(c media.Codec) bool {
	return len(p.sps) > 0 && len(p.pps) > 0 && (c != media.CodecH265 || len(p.vps) > 0)
}

func (p paramSets) equal(q paramSets) bool {
	return string(p.vps) == string(q.vps) && string(p.sps) == string(q.sps) && string(p.pps) == string(q.pps)
}

// errMidUnit is returned by depacketize for a fragment whose unit's start
// never came: we joined mid-unit, or the start was lost (which the loss
// counter has counted already). Not an error worth counting.
var errMidUnit = errors.New("rtsp: fragment without its start")

// errMalformedParams marks parameter sets that do not parse.
var errMalformedParams = errors.New("rtsp: malformed parameter sets")

// newVideoCodec returns the codec for an H.264 or H.265 format and the
// parameter sets its SDP carries; ok is false for other formats.
func newVideoCodec(f format.Format) (videoCodec, paramSets, bool, error) {
	switch f := f.(type) {
	case *format.H264:
		dec, err := f.CreateDecoder()
		if err != nil {
			return nil, paramSets{}, true, err
		}
		sps, pps := f.SafeParams()
		c := &h264Codec{dec: dec}
		c.resetDTS()
		return c, paramSets{sps: sps, pps: pps}, true, nil
	case *format.H265:
		dec, err := f.CreateDecoder()
		if err != nil {
			return nil, paramSets{}, true, err
		}
		vps, sps, pps := f.SafeParams()
		c := &h265Codec{dec: dec}
		c.resetDTS()
		return c, paramSets{vps: vps, sps: sps, pps: pps}, true, nil
	}
	return nil, paramSets{}, false, nil
}

// h264Codec handles H.264 (RFC 6184).
type h264Codec struct {
	dec *rtph264.Decoder
	dx  *h264.DTSExtractor
}

func (*h264Codec) codec() media.Codec { return media.CodecH264 }

func (*h264Codec) splitsOnTimestamp() bool { return true }

func (c *h264Codec) depacketize(pkt *rtp.Packet) ([][]byte, error) {
	au, err := c.dec.Decode(pkt)
	switch {
	case errors.Is(err, rtph264.ErrMorePacketsNeeded):
		return nil, nil
	case errors.Is(err, rtph264.ErrNonStartingPacketAndNoPrevious):
		return nil, errMidUnit
	case err != nil:
		return nil, err
	}
	return nonEmpty(au), nil
}

func (*h264Codec) learn(au [][]byte, ps *paramSets) {
	for _, n := range au {
		switch h264.NALUType(n[0] & 0x1f) {
		case h264.NALUTypeSPS:
			ps.sps = n
		case h264.NALUTypePPS:
			ps.pps = n
		default: // slices and the rest carry no parameters
		}
	}
}

func (*h264Codec) keyframe(au [][]byte) bool { return h264.IsRandomAccess(au) }

func (c *h264Codec) dts(au [][]byte, pts int64, ps paramSets) (int64, error) {
	if c.keyframe(au) && !hasNALU(au, func(n []byte) bool { return h264.NALUType(n[0]&0x1f) == h264.NALUTypeSPS }) {
		au = append([][]byte{ps.sps, ps.pps}, au...)
	}
	return c.dx.Extract(au, pts)
}

func (c *h264Codec) resetDTS() {
	c.dx = &h264.DTSExtractor{}
	c.dx.Initialize()
}

func (*h264Codec) track(ps paramSets) (media.Track, error) {
	var sps h264.SPS
	if err := sps.Unmarshal(ps.sps); err != nil {
		return media.Track{}, fmt.Errorf("%w: H.264 SPS: %w", errMalformedParams, err)
	}
	return media.Track{Codec: media.CodecH264, SPS: ps.sps, PPS: ps.pps, Width: sps.Width(), Height: sps.Height()}, nil
}

// h265Codec handles H.265 (RFC 7798).
type h265Codec struct {
	dec *rtph265.Decoder
	dx  *h265.DTSExtractor
}

func (*h265Codec) codec() media.Codec { return media.CodecH265 }

func (*h265Codec) splitsOnTimestamp() bool { return false }

func (c *h265Codec) depacketize(pkt *rtp.Packet) ([][]byte, error) {
	au, err := c.dec.Decode(pkt)
	switch {
	case errors.Is(err, rtph265.ErrMorePacketsNeeded):
		return nil, nil
	case errors.Is(err, rtph265.ErrNonStartingPacketAndNoPrevious):
		return nil, errMidUnit
	case err != nil:
		return nil, err
	}
	return nonEmpty(au), nil
}

func h265Type(n []byte) h265.NALUType { return h265.NALUType((n[0] >> 1) & 0x3f) }

func (*h265Codec) learn(au [][]byte, ps *paramSets) {
	for _, n := range au {
		switch h265Type(n) {
		case h265.NALUType_VPS_NUT:
			ps.vps = n
		case h265.NALUType_SPS_NUT:
			ps.sps = n
		case h265.NALUType_PPS_NUT:
			ps.pps = n
		default: // slices and the rest carry no parameters
		}
	}
}

func (*h265Codec) keyframe(au [][]byte) bool { return h265.IsRandomAccess(au) }

func (c *h265Codec) dts(au [][]byte, pts int64, ps paramSets) (int64, error) {
	if c.keyframe(au) && !hasNALU(au, func(n []byte) bool { return h265Type(n) == h265.NALUType_SPS_NUT }) {
		au = append([][]byte{ps.vps, ps.sps, ps.pps}, au...)
	}
	return c.dx.Extract(au, pts)
}

func (c *h265Codec) resetDTS() {
	c.dx = &h265.DTSExtractor{}
	c.dx.Initialize()
}

func (*h265Codec) track(ps paramSets) (media.Track, error) {
	var sps h265.SPS
	if err := sps.Unmarshal(ps.sps); err != nil {
		return media.Track{}, fmt.Errorf("%w: H.265 SPS: %w", errMalformedParams, err)
	}
	return media.Track{Codec: media.CodecH265, VPS: ps.vps, SPS: ps.sps, PPS: ps.pps, Width: sps.Width(), Height: sps.Height()}, nil
}

func hasNALU(au [][]byte, match func([]byte) bool) bool {
	for _, n := range au {
		if match(n) {
			return true
		}
	}
	return false
}

// nonEmpty drops empty NAL units, which carry nothing and would trip every
// parser that reads the header byte; nil when none is left.
func nonEmpty(au [][]byte) [][]byte {
	if !slices.ContainsFunc(au, func(n []byte) bool { return len(n) == 0 }) {
		if len(au) == 0 {
			return nil
		}
		return au
	}
	out := make([][]byte, 0, len(au))
	for _, n := range au {
		if len(n) > 0 {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
