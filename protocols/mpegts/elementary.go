package mpegts

import (
	"time"

	"streamhive/media"
)

// elementary is one selected stream of the program and what its payload
// has told us so far.
type elementary struct {
	esInfo
	id    int         // track ID once published, -1 when not published
	ready bool        // track holds a usable configuration
	track media.Track // the configuration (ID set at publish)

	vps, sps, pps []byte // video: the latest parameter sets seen in-band
}

// frame is a demuxed frame before its track ID and the time origin are
// known. Timestamps are on the demuxer's clock; off is added to both (an
// audio frame's place inside its PES). The media.Frame it becomes and
// room for its data units come in the same allocation: one per frame
// where there were three or more.
type frame struct {
	es       *elementary
	dts, pts int64
	off      time.Duration
	key      bool
	data     [][]byte

	m     media.Frame // set by toMedia
	units [typicalNALUs][]byte
}

// oneUnit is a frame of one data unit (an audio access unit).
func oneUnit(es *elementary, dts int64, off time.Duration, unit []byte) *frame {
	f := &frame{es: es, dts: dts, pts: dts, off: off, key: true}
	f.units[0] = unit
	f.data = f.units[:1]
	return f
}

// onUnit parses a complete PES unit and hands its payload to the codec.
func (d *Demuxer) onUnit(es *elementary, unit []byte) error {
	p, err := parsePES(unit)
	if err != nil {
		return d.dropUnit(err)
	}
	if !p.hasPTS {
		return d.dropUnit(errPES)
	}
	dts := d.clock.extend(p.dts)
	pts := dts + wrapDiff(int64(p.pts), int64(p.dts))
	switch es.codec {
	case media.CodecH264, media.CodecH265:
		return d.onVideo(es, dts, pts, p.payload)
	case media.CodecAAC:
		return d.onADTS(es, dts, p.payload)
	default:
		return d.onOpus(es, dts, p.payload)
	}
}
