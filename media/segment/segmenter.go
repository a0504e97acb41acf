// Package segment cuts one stream's frames into keyframe-aligned segments
// and LL-HLS parts, kept once as CMAF fragments per track (mp4ff; this is
// the only package that imports it) and made into MPEG-TS (our own muxer,
// ts.go) on demand, cached while hot (tsdemand.go, tscache.go). HLS, LL-HLS, DASH and the DVR all read the same bytes through an
// immutable Window snapshot.
package segment

import (
	"errors"
	"sync/atomic"
	"time"

	"streamhive/media"
)

// Errors.
var (
	// ErrNoParameters: a video track lacks its parameter sets, or an AAC
	// track its AudioSpecificConfig.
	ErrNoParameters = errors.New("segment: track lacks codec parameters")
	// ErrClosed: the segmenter was closed before what Wait waited for.
	ErrClosed = errors.New("segment: closed")
	// ErrTooFarAhead: a blocking reload asked for a segment or part beyond
	// what RFC 8216bis lets a client ask for (see Window.TooFarAhead).
	ErrTooFarAhead = errors.New("segment: requested segment or part is too far ahead")
)

// maxJump is the largest forward DTS step of the leading track taken as
// continuous; a larger one, or any backward step, is a discontinuity that
// the segmenter bridges by shifting the timeline (a failover, a restarted
// encoder).
const maxJump = 10 * time.Second

// maxLag is how far the output timeline may fall behind the wall clock
// before the segmenter jumps it forward. A failover keeps the timeline
// continuous (the backup continues where the primary stopped), so each
// outage leaves the output behind the clock by its length; short ones are
// what players ride through without noticing. Past maxLag (a long outage,
// or many short ones) the next segment starts a discontinuity at the wall
// clock's time, so that program date times, the DVR's wall-clock archive
// and DASH availability times stay true.
const maxLag = 10 * time.Second

// Segmenter turns frames into a Window of segments. WriteFrame, SetTracks and
// Close belong to one goroutine (the stream's packager goroutine, reading a
// hub consumer); Window, Wait and Stats are safe from any goroutine.
type Segmenter struct {
	cfg Config
	win atomic.Pointer[Window]

	frames, dropped, errs atomic.Uint64
	next                  atomic.Uint64 // nextMSN, for NextMSN

	// Writing goroutine only.
	ep      *epoch
	seg     *building
	done    []*Segment // finished segments, the window's tail
	nextMSN uint64
	discSeq uint64
	disc    bool // the next segment starts a discontinuity
	started bool // the output timeline has an origin
	anchor  time.Time
	offset  time.Duration // input timestamp + offset = output timestamp
	lead    leadClock
	closed  bool
	version uint64

	// The wall clock across input switches (followClock). switched:
	// another input with the same codecs took over (SetTracks with
	// unchanged parameters) and its first keyframe is still to come.
	switched bool
	keyLag   time.Duration // how far the output was behind the wall clock at the last keyframe
	resync   bool          // the next segment's program date time was moved (Segment.Resync)
}

// leadClock follows the leading track on the output timeline.
type leadClock struct {
	have  bool
	last  time.Duration
	delta time.Duration
}

func (l *leadClock) end() time.Duration { return l.last + l.delta }

// Stats counts a segmenter's input.
type Stats struct {
	Frames  uint64 // frames written into segments
	Dropped uint64 // frames dropped: before a keyframe, unknown track, non-monotonic DTS
	Errors  uint64 // frames the muxers rejected
}

// New returns a segmenter with an empty window. Call SetTracks before
// writing frames.
func New(cfg Config) *Segmenter {
	s := &Segmenter{cfg: cfg.withDefaults()}
	s.publish()
	return s
}

// Window returns the latest snapshot; never nil.
func (s *Segmenter) Window() *Window { return s.win.Load() }

// NextMSN returns the media sequence number of the next segment to start:
// every segment below it has started already (the window may not list the
// newest yet). Safe from any goroutine.
func (s *Segmenter) NextMSN() uint64 { return s.next.Load() }

// Stats returns the segmenter's counters.
func (s *Segmenter) Stats() Stats {
	return Stats{Frames: s.frames.Load(), Dropped: s.dropped.Load(), Errors: s.errs.Load()}
}

// SetTracks declares the tracks of the frames that follow. Tracks whose
// codec parameters are unchanged are a no-op; otherwise the segment in
// progress is finished, a new epoch (init segments, TS muxer) begins and the
// next segment is marked as a discontinuity. Track IDs must be 0..n-1.
func (s *Segmenter) SetTracks(tracks []media.Track) error {
	if s.closed {
		return ErrClosed
	}
	if s.ep != nil && sameParams(s.ep.init.Tracks, tracks) {
		s.switched = s.started
		return nil
	}
	epochNo := 0
	if s.ep != nil {
		epochNo = s.ep.init.Epoch + 1
	}
	ep, err := newEpoch(epochNo, tracks)
	if err != nil {
		return err
	}
	if s.ep != nil {
		s.finishSegment(s.lead.end(), true)
		s.disc = s.started
	}
	s.ep = ep
	s.publish()
	return nil
}

// WriteFrame implements media.Sink: it adds f to the segment in progress,
// cutting a part or a segment before it where due. Frames before the first
// keyframe of the leading track are dropped.
func (s *Segmenter) WriteFrame(f *media.Frame) {
	ep := s.ep
	if s.closed || ep == nil || f.Track < 0 || f.Track >= len(ep.tracks) || len(f.Data) == 0 {
		s.dropped.Add(1)
		return
	}
	isLead := f.Track == ep.lead
	if isLead && s.seg == nil && f.Keyframe && !s.started {
		s.offset, s.started = -f.DTS, true // the output timeline starts at 0
		if s.cfg.KeepTimeline {
			s.offset = 0
		}
		s.anchor = s.cfg.Now()
	}
	dts, pts := f.DTS+s.offset, f.PTS+s.offset
	if isLead && s.lead.have && (dts < s.lead.last || dts > s.lead.last+maxJump) {
		s.bridge(f.DTS)
		dts, pts = f.DTS+s.offset, f.PTS+s.offset
	}
	if isLead && f.Keyframe && s.lead.have && s.followClock(dts) {
		dts, pts = f.DTS+s.offset, f.PTS+s.offset
	}
	if s.seg == nil {
		if !isLead || !f.Keyframe {
			s.dropped.Add(1)
			return
		}
		s.startSegment(dts)
	} else if isLead {
		s.cutBefore(f, dts)
	}
	tr := &ep.tracks[f.Track]
	u := toUnits(dts, tr.timescale)
	if dts < 0 || (tr.have && u <= tr.last) {
		s.dropped.Add(1)
		return
	}
	if err := tsFits(f, ep.init.Tracks[f.Track]); err != nil {
		s.errs.Add(1)
		return
	}
	tr.push(f, u, toUnits(pts, tr.timescale)-u)
	if isLead {
		if s.lead.have {
			s.lead.delta = dts - s.lead.last
		}
		s.lead.have, s.lead.last = true, dts
	}
	s.frames.Add(1)
}

// bridge handles a jump of the leading track's input DTS to in: the segment
// in progress ends, the output timeline continues where it was, and the
// next segment is a discontinuity.
func (s *Segmenter) bridge(in time.Duration) {
	s.discontinue(s.lead.end() - in)
}

// followClock compares the output timeline with the wall clock at a
// keyframe of the leading track (at output dts) and reports whether it
// moved the timeline (catchUp, see maxLag). At the first keyframe after an
// input switch that bridged a pause longer than a segment (the lag grew by
// that much since the previous keyframe) it resyncs instead.
func (s *Segmenter) followClock(dts time.Duration) (moved bool) {
	lag := s.cfg.Now().Sub(s.anchor.Add(dts))
	switched := s.switched
	s.switched = false
	switch {
	case lag > maxLag:
		s.catchUp(lag)
		s.keyLag = 0
		return true
	case switched && lag-s.keyLag > s.cfg.SegmentDuration:
		s.resyncClock(lag)
		lag = 0
	}
	s.keyLag = lag
	return false
}

// resyncClock moves the program date time lag forward to the wall clock:
// the segment in progress ends and the next one is marked Resync. The
// output timeline goes on, so players see no discontinuity; a wall-clock
// archive (the DVR) must not join the new segment to the one before it,
// and must not stamp what the new input sends with the time of the pause.
func (s *Segmenter) resyncClock(lag time.Duration) {
	s.finishSegment(s.lead.end(), true)
	s.anchor = s.anchor.Add(lag.Truncate(time.Millisecond))
	s.resync = true
}

// catchUp jumps the output timeline lag forward to the wall clock at a
// keyframe of the leading track: the segment in progress ends and the next
// one is a discontinuity (see maxLag).
func (s *Segmenter) catchUp(lag time.Duration) {
	s.discontinue(s.offset + lag.Truncate(time.Millisecond))
	s.lead.have = false // the jump is not a frame duration
}

// discontinue ends the segment in progress and goes on with a new offset
// (input timestamp + offset = output timestamp); the next segment is a
// discontinuity and every track's timeline starts afresh.
func (s *Segmenter) discontinue(offset time.Duration) {
	s.finishSegment(s.lead.end(), true)
	s.offset = offset
	s.disc = true
	for i := range s.ep.tracks {
		s.ep.tracks[i].have = false
	}
}

// Close finishes the segment in progress and publishes a final, Ended
// window; Wait then returns ErrClosed for anything not in it.
func (s *Segmenter) Close() {
	if s.closed {
		return
	}
	s.finishSegment(s.lead.end(), true)
	s.closed = true
	s.publish()
}

// sameParams reports whether b describes the same codecs and parameters as a.
func sameParams(a, b []media.Track) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.ID != y.ID || x.Codec != y.Codec || x.SampleRate != y.SampleRate || x.Channels != y.Channels ||
			string(x.VPS) != string(y.VPS) || string(x.SPS) != string(y.SPS) || string(x.PPS) != string(y.PPS) ||
			string(x.AudioConfig) != string(y.AudioConfig) {
			return false
		}
	}
	return true
}
