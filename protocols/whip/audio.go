package whip

import (
	"errors"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4/pkg/media/samplebuilder"

	"streamhive/media"
)

// Reassembly limits for Opus: one packet is one unit (20 ms, usually), so
// the builder only reorders; a gap is waited for at most audioDelay.
const (
	audioMaxLate = 64
	audioDelay   = 200 * time.Millisecond
)

var errEmptyOpus = errors.New("empty Opus packet")

// audioTrack is the session's Opus track between packets. Driven under
// the ingest's lock.
type audioTrack struct {
	sb    *samplebuilder.SampleBuilder
	clock trackClock
}

func newAudioTrack() *audioTrack {
	return &audioTrack{
		sb:    samplebuilder.New(audioMaxLate, &codecs.OpusPacket{}, opusClockRate, samplebuilder.WithMaxTimeDelay(audioDelay)),
		clock: trackClock{rate: opusClockRate},
	}
}

// push feeds one packet and writes the units it completes.
func (a *audioTrack) push(in *ingest, pkt *rtp.Packet, arrival time.Duration) error {
	a.clock.anchor(pkt.Timestamp, arrival)
	a.sb.Push(pkt)
	for s := a.sb.Pop(); s != nil; s = a.sb.Pop() {
		if err := a.unit(in, s.Data, a.clock.ticks(s.PacketTimestamp)); err != nil {
			return err
		}
	}
	return nil
}

// unit handles one Opus packet (allocated afresh by the samplebuilder, so
// the frame keeps it without a copy) with its PTS in ticks since the
// track's first packet.
func (a *audioTrack) unit(in *ingest, data []byte, pts int64) error {
	if len(data) == 0 {
		in.drop("audio unit", errEmptyOpus)
		return nil
	}
	if in.channels == 0 {
		in.channels = opusChannels(data[0])
	}
	if in.sink == nil {
		if in.want.video {
			return nil // the timeline starts at the first video keyframe
		}
		if err := in.doPublish(paramSets{}); err != nil {
			return err
		}
	}
	t := a.clock.time(pts)
	if !in.started {
		if in.want.video {
			return nil
		}
		in.started, in.origin = true, t
	}
	in.write(&media.Frame{Track: in.audioID(), DTS: t - in.origin, PTS: t - in.origin, Keyframe: true, Data: [][]byte{data}})
	return nil
}

// opusChannels reads the stereo flag of an Opus packet's TOC byte (RFC
// 6716 section 3.1).
func opusChannels(toc byte) int {
	if toc&0x04 != 0 {
		return 2
	}
	return 1
}
