// Package dvr is a stream's recording on disk: the segments the stream's
// segmenter already made, written whole (temporary name, fsync, rename),
// indexed, trimmed by retention, and read back by archive playback.
//
// This file is the read-side contract between the writer/store (this
// package) and its readers (gateway/play archive URLs, media/dvr/export).
package dvr

import (
	"errors"
	"time"

	"streamhive/media"
	"streamhive/media/segment"
)

// Range is a stretch of uninterrupted recording, as the Control API's
// dvr ranges list it (from in Unix seconds, duration in seconds).
type Range struct {
	From     time.Time
	Duration time.Duration
}

// Record describes one archived segment. It is immutable.
type Record struct {
	// Start is the wall clock of the segment's first frame (the live
	// segment's ProgramDateTime), UTC. Archive URLs address by it.
	Start    time.Time
	Duration time.Duration
	// DTS is the segment's start on the stream's output timeline, as the
	// segmenter stamped its TS and CMAF. It restarts when the server does;
	// Gap tells where.
	DTS time.Duration
	// Epoch names the codec parameters (the init segments) the CMAF
	// fragments belong to; Archive.Init(rec) returns them.
	Epoch int
	// Gap is true when recording was interrupted just before this segment
	// (a restart, a source outage, a deleted range, a disk error) or its
	// codec parameters differ from the previous record's: players are told
	// with a discontinuity, never shown invented media.
	Gap bool
	// Spans are the CMAF fragments' spans per track (timescale, base,
	// length), as segment.Segment.Spans; DASH timelines are built from them.
	Spans []segment.Span
	// Keyframe: the segment starts with a video keyframe (every segment
	// of a stream with video does; audio-only streams have none).
	Keyframe bool
	// Size is the bytes this record holds on disk.
	Size int64
}

// End is the wall clock just after the record.
func (r Record) End() time.Time { return r.Start.Add(r.Duration) }

// Init is one epoch's codec parameters and CMAF init segments.
type Init struct {
	Tracks     []media.Track // indexed by Track.ID
	CMAF       [][]byte      // ftyp+moov per track
	Timescales []uint32      // per track
}

// Archive is one stream's recording as playback reads it. All methods are
// safe for concurrent use with the writer and with retention; a record
// returned by Records may be deleted by retention before it is read, and
// then its Read* return an error wrapping ErrGone.
type Archive interface {
	// Ranges lists the recorded stretches, oldest first.
	Ranges() []Range
	// Records lists the records overlapping [from, to), oldest first.
	Records(from, to time.Time) []Record
	// ReadTS returns the record's MPEG-TS segment (PAT/PMT first, starts
	// on a keyframe).
	ReadTS(rec Record) ([]byte, error)
	// ReadCMAF returns the record's CMAF fragments (moof+mdat), one per
	// track of its epoch, empty where a track had no samples.
	ReadCMAF(rec Record) ([][]byte, error)
	// Init returns the init segments of rec's epoch.
	Init(rec Record) (*Init, error)
}

// ErrGone is wrapped by an Archive's Read* and Init when the record was
// deleted (retention, a DELETE of its range) after it was listed.
var ErrGone = errors.New("dvr: record is gone")
