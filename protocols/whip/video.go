package whip

import (
	"errors"
	"fmt"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4/pkg/media/samplebuilder"

	"streamhive/media"
)

// Reassembly limits for video. maxLate is in packets and must exceed the
// largest frame (a 1080p keyframe is a few hundred packets), or the
// builder cuts frames before their last packet arrives; videoDelay bounds
// how long a gap is waited for, which is what the latency pays for
// reordering and NACK retransmissions.
const (
	videoMaxLate = 1024
	videoDelay   = 500 * time.Millisecond
	// pliInterval spaces our keyframe requests while video waits for one.
	pliInterval = time.Second
)

// ErrNoParameterSets is why a keyframe is dropped when no SPS and PPS came
// before or with it: the track cannot be described.
var ErrNoParameterSets = errors.New("whip: H.264 keyframe without SPS and PPS")

// paramSets are H.264's SPS and PPS without start codes.
type paramSets struct{ sps, pps []byte }

func (p paramSets) complete() bool { return len(p.sps) > 0 && len(p.pps) > 0 }

func (p paramSets) equal(q paramSets) bool {
	return string(p.sps) == string(q.sps) && string(p.pps) == string(q.pps)
}

// track describes the video from its parameter sets.
func (p paramSets) track() (media.Track, error) {
	var sps h264.SPS
	if err := sps.Unmarshal(p.sps); err != nil {
		return media.Track{}, fmt.Errorf("whip: H.264 SPS: %w", err)
	}
	return media.Track{Codec: media.CodecH264, SPS: p.sps, PPS: p.pps, Width: sps.Width(), Height: sps.Height()}, nil
}

// videoTrack is the session's H.264 track between packets. Driven under
// the ingest's lock.
type videoTrack struct {
	sb      *samplebuilder.SampleBuilder
	clock   trackClock
	ps      paramSets // the latest seen in band
	dx      *h264.DTSExtractor
	synced  bool      // a keyframe started a run that can be decoded
	pli     func()    // asks the sender for a keyframe
	lastPLI time.Time // when pli was last called
}

func newVideoTrack(pli func()) *videoTrack {
	v := &videoTrack{
		// IsAVC: units come length-prefixed, which splits without
		// scanning for start codes.
		sb:    samplebuilder.New(videoMaxLate, &codecs.H264Packet{IsAVC: true}, videoClockRate, samplebuilder.WithMaxTimeDelay(videoDelay)),
		clock: trackClock{rate: videoClockRate},
		pli:   pli,
	}
	v.resync()
	return v
}

// resync drops video until the next keyframe and asks for one.
func (v *videoTrack) resync() {
	v.synced = false
	v.dx = &h264.DTSExtractor{}
	v.dx.Initialize()
	v.askKeyframe()
}

func (v *videoTrack) askKeyframe() {
	if now := time.Now(); now.Sub(v.lastPLI) >= pliInterval {
		v.lastPLI = now
		v.pli()
	}
}

// push feeds one packet, arrived at arrival on the session timeline, and
// writes every access unit it completes. Only what ends the session is
// returned.
func (v *videoTrack) push(in *ingest, pkt *rtp.Packet, arrival time.Duration) error {
	v.clock.anchor(pkt.Timestamp, arrival)
	v.sb.Push(pkt)
	for s := v.sb.Pop(); s != nil; s = v.sb.Pop() {
		if s.PrevDroppedPackets > 0 {
			in.drop("video packets", fmt.Errorf("%d lost or too late", s.PrevDroppedPackets))
			v.resync()
		}
		if err := v.unit(in, s.Data, v.clock.ticks(s.PacketTimestamp)); err != nil {
			return err
		}
	}
	return nil
}

// unit handles one reassembled access unit (AVC, length-prefixed) with its
// PTS in ticks since the track's first packet. The samplebuilder allocates
// each unit afresh and never touches it again, so frames keep slices of
// it without a copy.
func (v *videoTrack) unit(in *ingest, data []byte, pts int64) error {
	var avcc h264.AVCC
	if err := avcc.Unmarshal(data); err != nil {
		in.drop("video unit", err)
		v.resync()
		return nil
	}
	au := nonEmpty(avcc)
	if len(au) == 0 {
		return nil
	}
	v.learn(au)
	key := h264.IsRandomAccess(au)
	if !v.synced {
		if !key {
			v.askKeyframe()
			return nil // undecodable before a keyframe
		}
		v.synced = true
	}
	if key && (in.sink == nil || !v.ps.equal(in.pub)) {
		if !v.ps.complete() {
			in.drop("video keyframe", ErrNoParameterSets)
			v.resync()
			return nil
		}
		if err := in.doPublish(v.ps); err != nil {
			return err
		}
	}
	if in.sink == nil {
		return nil
	}
	dts, err := v.dts(au, key, pts)
	if err != nil {
		in.drop("video timing", err)
		v.resync()
		return nil
	}
	d, p := v.clock.time(dts), v.clock.time(pts)
	if !in.started {
		in.started, in.origin = true, d
	}
	in.write(&media.Frame{Track: in.videoID(), DTS: d - in.origin, PTS: p - in.origin, Keyframe: key, Data: au})
	return nil
}

// learn records the parameter sets au carries.
func (v *videoTrack) learn(au [][]byte) {
	for _, n := range au {
		switch h264.NALUType(n[0] & 0x1f) {
		case h264.NALUTypeSPS:
			v.ps.sps = n
		case h264.NALUTypePPS:
			v.ps.pps = n
		default: // slices and the rest carry no parameters
		}
	}
}

// dts derives au's decoding time from its PTS; the extractor reads the
// SPS, which a keyframe that lacks it gets prepended.
func (v *videoTrack) dts(au [][]byte, key bool, pts int64) (int64, error) {
	if key && !hasSPS(au) {
		au = append([][]byte{v.ps.sps, v.ps.pps}, au...)
	}
	return v.dx.Extract(au, pts)
}

func hasSPS(au [][]byte) bool {
	for _, n := range au {
		if h264.NALUType(n[0]&0x1f) == h264.NALUTypeSPS {
			return true
		}
	}
	return false
}

// nonEmpty drops empty NAL units, which carry nothing and would trip every
// parser that reads the header byte.
func nonEmpty(au [][]byte) [][]byte {
	out := au[:0:0]
	for _, n := range au {
		if len(n) > 0 {
			out = append(out, n)
		}
	}
	return out
}
