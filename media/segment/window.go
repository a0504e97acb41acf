package segment

import (
	"time"

	"streamhive/media"
)

// Window is an immutable snapshot of a segmenter's output: the last finished
// segments and the finished parts of the segment in progress. Readers get it
// from Segmenter.Window and may keep it as long as they like; nothing in it
// (byte slices included) is ever modified.
type Window struct {
	Version uint64 // grows with every publish

	Tracks []media.Track // tracks of the current Init
	Init   *Init         // current init segments; nil before the first SetTracks

	// Segments are finished, oldest first, with contiguous MSNs.
	Segments []*Segment
	// Partial is the segment in progress: its Parts are finished, its
	// MPEG-TS and CMAF are nil and its Duration is the sum of its parts. Nil while the
	// segmenter waits for a keyframe.
	Partial *Segment

	TargetDuration time.Duration // the configured segment duration
	PartTarget     time.Duration // the configured part duration
	Ended          bool          // the segmenter was closed

	changed chan struct{} // closed when a newer Window is published
}

// Changed returns a channel that is closed when a newer Window is published.
func (w *Window) Changed() <-chan struct{} { return w.changed }

// Init holds the CMAF init segment of each track of one track configuration
// (an epoch). A codec parameter change starts a new epoch.
type Init struct {
	Epoch      int           // 0, 1, …: changes with the codec parameters
	Tracks     []media.Track // indexed by Track.ID
	CMAF       [][]byte      // init segment (ftyp+moov) per track
	Timescales []uint32      // CMAF timescale per track

	ts *tsMux // the MPEG-TS muxer's tables and PIDs (tsdemand.go)
}

// Segment is one keyframe-aligned segment, kept as CMAF; its MPEG-TS is
// made on demand (MPEGTS). All fields are immutable.
type Segment struct {
	MSN  uint64 // media sequence number, contiguous across the stream
	Init *Init  // the epoch its CMAF fragments belong to

	DTS             time.Duration // start on the output timeline (leading track)
	Duration        time.Duration // of the leading track
	ProgramDateTime time.Time     // wall clock of DTS

	// Discontinuity is set on the first segment after a change of codec
	// parameters or a timestamp jump; DiscontinuitySeq counts such
	// segments up to and including this one (EXT-X-DISCONTINUITY-SEQUENCE).
	Discontinuity    bool
	DiscontinuitySeq uint64
	// Resync is set on the first segment after an input switch that
	// bridged a pause longer than a segment: its DTS continues the
	// previous segment's (players see no discontinuity) but its
	// ProgramDateTime was moved forward to the wall clock, so a wall-clock
	// archive records it as following an interruption.
	Resync bool

	Parts []*Part

	// CMAF holds per track (index = Track.ID) the concatenation of its parts'
	// fragments (moof+mdat each); empty for a track without samples.
	CMAF [][]byte
	// Spans gives per track the decode time range in the track's timescale.
	Spans []Span

	tsLen int    // length of its MPEG-TS; 0 in progress
	tsKey uint64 // its MPEG-TS's key in the cache
	ts    []byte // its MPEG-TS when given (WithTS), else made on demand
}

// Part is an LL-HLS partial segment. Its CMAF fragments are complete
// moof+mdat pairs, so a segment is the concatenation of its parts.
type Part struct {
	Index       int // 0-based within its segment
	DTS         time.Duration
	Duration    time.Duration
	Independent bool     // starts with a keyframe of the leading track
	CMAF        [][]byte // per track, empty where the track had no sample
	Spans       []Span

	// Its MPEG-TS, made on demand (MPEGTS): the epoch it is muxed with,
	// the muxer's state at its start and its length; or the bytes given.
	init   *Init
	tsFrom tsState
	tsLen  int
	tsKey  uint64 // its key in the cache, kept when store.go remakes the part
	ts     []byte
}

// Span is a track's decode time range in a segment or part, in the track's
// timescale: the fragment's baseMediaDecodeTime and the sum of its sample
// durations.
type Span struct {
	Timescale uint32
	Base      uint64
	Length    uint64
	Samples   int
}

// Duration returns the span's length as a duration.
func (s Span) Duration() time.Duration {
	if s.Timescale == 0 {
		return 0
	}
	return fromUnits(int64(s.Length), s.Timescale)
}

// Start returns the span's start as a duration.
func (s Span) Start() time.Duration {
	if s.Timescale == 0 {
		return 0
	}
	return fromUnits(int64(s.Base), s.Timescale)
}

// Segment returns the finished segment msn, or nil if it is not (or no
// longer) in the window.
func (w *Window) Segment(msn uint64) *Segment {
	if len(w.Segments) == 0 || msn < w.Segments[0].MSN {
		return nil
	}
	i := msn - w.Segments[0].MSN
	if i >= uint64(len(w.Segments)) {
		return nil
	}
	return w.Segments[i]
}

// Part returns part idx of segment msn, finished or in progress, or nil.
func (w *Window) Part(msn uint64, idx int) *Part {
	s := w.Segment(msn)
	if s == nil && w.Partial != nil && w.Partial.MSN == msn {
		s = w.Partial
	}
	if s == nil || idx < 0 || idx >= len(s.Parts) {
		return nil
	}
	return s.Parts[idx]
}

// InitOf returns the init segments of epoch: the current ones or those of
// a segment still in the window; nil when the window has none of epoch.
func (w *Window) InitOf(epoch int) *Init {
	if w.Init != nil && w.Init.Epoch == epoch {
		return w.Init
	}
	for _, s := range w.Segments {
		if s.Init != nil && s.Init.Epoch == epoch {
			return s.Init
		}
	}
	return nil
}

// NextMSN returns the MSN the next segment to finish will have.
func (w *Window) NextMSN() uint64 {
	if w.Partial != nil {
		return w.Partial.MSN
	}
	if n := len(w.Segments); n > 0 {
		return w.Segments[n-1].MSN + 1
	}
	return 0
}

// Has reports whether the window holds what an LL-HLS blocking reload with
// _HLS_msn=msn and _HLS_part=part waits for (RFC 8216bis 6.2.5.2): segment
// msn finished (part < 0), or its part finished. Later ones count too.
func (w *Window) Has(msn uint64, part int) bool {
	if n := len(w.Segments); n > 0 && msn <= w.Segments[n-1].MSN {
		return true
	}
	if part < 0 || w.Partial == nil {
		return false
	}
	return msn < w.Partial.MSN || (msn == w.Partial.MSN && part < len(w.Partial.Parts))
}

// TooFarAhead reports whether a blocking reload for (msn, part) asks for
// more than RFC 8216bis 6.2.5.2 lets a client ask: an MSN more than two past
// the playlist's last segment, or a part beyond the Advance Part Limit
// (three parts, or three seconds' worth when parts are shorter than a
// second). The server answers such a request 400 at once.
func (w *Window) TooFarAhead(msn uint64, part int) bool {
	last := w.NextMSN() // the in-progress segment is in the playlist via its parts
	if w.Partial == nil || len(w.Partial.Parts) == 0 {
		if last == 0 {
			return msn > 2
		}
		last--
	}
	if msn > last+2 {
		return true
	}
	if part < 0 || w.Partial == nil || msn != w.Partial.MSN {
		return false
	}
	limit := 3
	if w.PartTarget > 0 && w.PartTarget < time.Second {
		limit = int((3*time.Second + w.PartTarget - 1) / w.PartTarget)
	}
	return part > len(w.Partial.Parts)-1+limit
}

// LatestKeyframePart returns where a viewer that joins now starts: the
// newest part that begins with a keyframe, in the segment being made or
// in the window's segments; false when the window has none.
func (w *Window) LatestKeyframePart() (msn uint64, part int, ok bool) {
	if p := w.Partial; p != nil {
		for i := len(p.Parts) - 1; i >= 0; i-- {
			if p.Parts[i].Independent {
				return p.MSN, i, true
			}
		}
	}
	for j := len(w.Segments) - 1; j >= 0; j-- {
		s := w.Segments[j]
		for i := len(s.Parts) - 1; i >= 0; i-- {
			if s.Parts[i].Independent {
				return s.MSN, i, true
			}
		}
	}
	return 0, 0, false
}
