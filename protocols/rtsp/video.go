package rtsp

import (
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/pion/rtp"
)

// videoTrack is the video format a session carries, and its state between
// packets.
type videoTrack struct {
	medi  *description.Media
	forma format.Format
	c     videoCodec
	ps    paramSets  // the latest seen: the SDP's, then in band
	pub   *paramSets // as published; nil before
	id    int        // media.Track.ID once published

	// synced is set at a keyframe and cleared when the DTS extractor
	// fails: frames that cannot be decoded or timed are dropped until the
	// next keyframe.
	synced bool

	// The unit the depacketizer holds but has not returned yet: the
	// timestamp and PTS of the last packet fed to it.
	held    bool
	heldTS  uint32
	heldPTS int64
}

// push feeds one packet and its PTS (90 kHz ticks) to the depacketizer and
// returns a completed access unit with its own PTS. The H.264
// depacketizer also closes a unit when the RTP timestamp changes (for
// cameras that never set the marker bit): the unit it returns then is the
// previous packet's.
func (v *videoTrack) push(pkt *rtp.Packet, pts int64) ([][]byte, int64, error) {
	previous := v.held && pkt.Timestamp != v.heldTS && v.c.splitsOnTimestamp()
	auPTS := pts
	if previous {
		auPTS = v.heldPTS
	}
	au, err := v.c.depacketize(pkt)
	switch {
	case err != nil:
		v.held = false
		return nil, 0, err
	case au == nil || previous:
		// Either more packets are needed, or this packet opened the
		// next unit.
		v.held, v.heldTS, v.heldPTS = true, pkt.Timestamp, pts
	default:
		v.held = false
	}
	return au, auPTS, nil
}
