package chaos

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/asticode/go-astits"
)

// ErrNoVideo is returned for a segment without a video elementary stream.
var ErrNoVideo = errors.New("chaos: no video stream in the segment")

// VideoTimes returns the presentation times of the video access units of
// one MPEG-TS segment, in the order they appear, as 90 kHz ticks turned
// into durations (no unwrapping: a segment is far shorter than the 26.5 h
// wrap). The first video stream in the PMT is the one measured. One PES
// packet carries one access unit, as every packager of ours writes them.
func VideoTimes(segment []byte) ([]time.Duration, error) {
	dmx := astits.NewDemuxer(context.Background(), bytes.NewReader(segment))
	videoPID := -1
	var out []time.Duration
	for {
		d, err := dmx.NextData()
		if errors.Is(err, astits.ErrNoMorePackets) || errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return out, fmt.Errorf("chaos: demux: %w", err)
		}
		switch {
		case d.PMT != nil && videoPID < 0:
			for _, es := range d.PMT.ElementaryStreams {
				if es.StreamType.IsVideo() {
					videoPID = int(es.ElementaryPID)
					break
				}
			}
		case d.PES != nil && int(d.PID) == videoPID:
			if h := d.PES.Header.OptionalHeader; h != nil && h.PTS != nil {
				out = append(out, ticks(h.PTS.Base))
			}
		}
	}
	if videoPID < 0 {
		return nil, ErrNoVideo
	}
	return out, nil
}

// ticks converts 90 kHz ticks to a duration.
func ticks(t int64) time.Duration { return time.Duration(t) * time.Second / 90000 }
