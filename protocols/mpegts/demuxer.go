package mpegts

import (
	"errors"
	"fmt"
	"io"

	"streamhive/media"
)

// Demuxer reads one transport stream and turns the selected program into
// tracks and frames. It is driven by one goroutine: not safe for
// concurrent use. It counts into the media.InputStats it was given: Bytes
// (everything read), Errors (every unit or section dropped) and TS. It
// does not count Frames: whoever delivers them does.
type Demuxer struct {
	cfg   Config
	stats *media.InputStats
	fr    *framer

	packets int                  // packets taken from the framer
	pids    map[uint16]*pidState // the PIDs we follow: PAT, the program's PMT, its selected streams
	patSeen bool                 // a valid PAT listed the program
	program uint16               // program_number chosen from the PAT
	pmtPID  int                  // -1 until the PAT is seen
	streams []*elementary        // the selected, supported streams of the PMT; nil until it is seen
	clock   clock

	pending   []*frame // frames demuxed before publishing
	published bool
	tracks    []media.Track
	origin    int64          // timeline ticks that become time 0
	out       []*media.Frame // frames ready for ReadFrame, from outHead on
	outHead   int
	err       error // sticky: returned once out is drained
}

// NewDemuxer returns a demuxer reading r. stats may be nil.
func NewDemuxer(r io.Reader, cfg Config, stats *media.InputStats) *Demuxer {
	if stats == nil {
		stats = &media.InputStats{}
	}
	fr := newFramer(r, stats)
	return &Demuxer{
		cfg:    cfg,
		stats:  stats,
		fr:     fr,
		pids:   map[uint16]*pidState{patPID: {kind: pidPAT, cc: -1}},
		pmtPID: -1,
	}
}

// Tracks reads until the tracks are known and returns them: video first,
// then audio, each in PMT order, with ID its index. A track is known once
// it produced a usable frame (for video a keyframe with its parameter
// sets); a stream listed in the PMT that stays silent for publishWait of
// the others' media is left out. The error is one of this package's
// sentinels, media.ErrUnsupportedCodec (the program has no stream we can
// carry), or the reader's error (io.EOF when it ended first).
func (d *Demuxer) Tracks() ([]media.Track, error) {
	for !d.published {
		if d.err != nil {
			return nil, d.err
		}
		if err := d.step(); err != nil {
			d.err = err
		}
	}
	return d.tracks, nil
}

// ReadFrame returns the next frame, reading the tracks first if Tracks
// was not called. Timestamps start at 0 at the first frame (the first
// video keyframe when there is video) and are continuous across the
// 33-bit wrap; frames of different tracks come in stream order. At the end
// of the input it returns the reader's error (io.EOF); after the tracks
// were published, ErrTracksChanged ends it too. The frame's Data aliases
// nothing the demuxer reuses.
func (d *Demuxer) ReadFrame() (*media.Frame, error) {
	if _, err := d.Tracks(); err != nil {
		return nil, err
	}
	for d.outHead == len(d.out) {
		if d.err != nil {
			return nil, d.err
		}
		if err := d.step(); err != nil {
			d.err = err
		}
	}
	f := d.out[d.outHead]
	d.out[d.outHead] = nil
	d.outHead++
	if d.outHead == len(d.out) { // drained: reuse the array
		d.out, d.outHead = d.out[:0], 0
	}
	return f, nil
}

// step reads and handles one packet.
func (d *Demuxer) step() error {
	if !d.published && d.packets >= d.cfg.probePackets() {
		return d.probeFailed()
	}
	pkt, err := d.fr.next()
	if err != nil {
		return d.end()
	}
	h, ok := parseHeader(pkt)
	if !ok {
		d.stats.TS.TransportErrors.Add(1)
		return nil
	}
	d.packets++
	return d.onPacket(&h)
}

// end handles the end of the input: units still open are complete (a PES
// of unbounded length ends with the stream), and a program that produced
// frames is published even if a track never became ready. It returns the
// reader's error (io.EOF at a clean end). When the demux also fails here
// (no PAT, PMT or frames yet, tracks changed), a clean end returns that
// failure alone, while a reader that failed wins: its error comes first,
// wrapping the demux's, so errors.Is finds both (a dropped connection
// before the PAT is the connection's fault, not the stream's).
func (d *Demuxer) end() error {
	rerr := d.fr.err
	if rerr == nil {
		rerr = io.EOF
	}
	err := d.finish()
	switch {
	case err == nil:
		return rerr
	case errors.Is(rerr, io.EOF):
		return err
	default:
		return fmt.Errorf("%w (%w)", rerr, err)
	}
}

// finish completes the open units and publishes what came, or says why
// nothing can be.
func (d *Demuxer) finish() error {
	for _, st := range d.pids {
		if st.kind == pidES && st.inUnit {
			if err := d.completeUnit(st); err != nil {
				return err
			}
		}
	}
	if !d.published {
		d.publish()
		if !d.published {
			return d.probeFailed()
		}
	}
	return nil
}

// probeFailed says why no tracks came, counting a missing PAT or PMT.
func (d *Demuxer) probeFailed() error {
	switch {
	case !d.patSeen:
		d.stats.TS.PATErrors.Add(1)
		return ErrNoPAT
	case d.streams == nil:
		d.stats.TS.PMTErrors.Add(1)
		return ErrNoPMT
	default:
		return ErrNoFrames
	}
}

// broken counts a dropped PES unit.
func (d *Demuxer) broken() {
	d.stats.TS.BrokenPayloads.Add(1)
	d.stats.Errors.Add(1)
}

// dropUnit counts a PES unit whose payload is malformed and drops it: a
// malformed payload never ends a demux, so the error (why it was
// dropped) goes no further and nil is returned.
func (d *Demuxer) dropUnit(error) error {
	d.broken()
	return nil
}
