package segment

import (
	"fmt"

	"streamhive/media"
)

// epoch is one track configuration: its init segments, counting TS muxer and the
// per-track fragment state.
type epoch struct {
	init   *Init
	lead   int // the track whose keyframes cut segments: the first video track, else track 0
	tracks []trackState
	ts     *tsMux
}

// trackState is one track's CMAF state. A sample's duration is known only
// when the track's next sample arrives, so the latest sample waits in pending.
type trackState struct {
	timescale uint32
	video     bool
	seq       uint32 // mfhd sequence number of the next fragment
	have      bool   // last is valid
	last      int64  // DTS of the latest sample, in units
	delta     int64  // latest sample duration, in units
	pending   *media.Frame
	pendDTS   int64
	pendCTO   int64
	frag      fragment // the samples of the part in progress
}

func newEpoch(n int, tracks []media.Track) (*epoch, error) {
	if len(tracks) == 0 {
		return nil, fmt.Errorf("segment: no tracks: %w", ErrNoParameters)
	}
	ep := &epoch{
		init:   &Init{Epoch: n, Tracks: append([]media.Track(nil), tracks...)},
		lead:   -1,
		tracks: make([]trackState, len(tracks)),
	}
	for i, t := range tracks {
		if t.ID != i {
			return nil, fmt.Errorf("segment: track %d has ID %d, want %d", i, t.ID, i)
		}
		b, err := buildInit(t)
		if err != nil {
			return nil, err
		}
		video := t.Codec.Kind() == media.KindVideo
		ts := timescale(t)
		ep.init.CMAF = append(ep.init.CMAF, b)
		ep.init.Timescales = append(ep.init.Timescales, ts)
		ep.tracks[i] = trackState{timescale: ts, video: video, seq: 1, delta: defaultDuration(t)}
		if video && ep.lead < 0 {
			ep.lead = i
		}
	}
	if ep.lead < 0 {
		ep.lead = 0
	}
	var err error
	if ep.ts, err = newTSMux(ep.init.Tracks); err != nil {
		return nil, err
	}
	ep.ts.count = true
	ep.init.ts, err = newTSMux(ep.init.Tracks)
	return ep, err
}

// push makes f the track's pending sample, completing the previous one
// with its now known duration.
func (t *trackState) push(f *media.Frame, dts, cto int64) {
	if t.pending != nil {
		t.delta = dts - t.pendDTS
		t.frag.add(t.pending, t.pendDTS, t.delta, t.pendCTO, t.video)
	}
	t.pending, t.pendDTS, t.pendCTO = f, dts, cto
	t.have, t.last = true, dts
}

// flushBefore completes the pending sample with end (in units) if it
// starts before end.
func (t *trackState) flushBefore(end int64) {
	if t.pending != nil && t.pendDTS < end {
		t.flush(end)
	}
}

// flush completes the pending sample. end is the next sample's DTS in units
// when known (the leading track at a cut), else -1: then the previous sample
// duration stands in (only when the segmenter ends a segment without a next
// frame: a close, a track change, a timestamp jump).
func (t *trackState) flush(end int64) {
	if t.pending == nil {
		return
	}
	d := t.delta
	if end > t.pendDTS {
		d = end - t.pendDTS
	}
	t.frag.add(t.pending, t.pendDTS, d, t.pendCTO, t.video)
	t.pending = nil
}
