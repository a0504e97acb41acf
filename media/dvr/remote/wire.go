// Package remote is another node's recording of a stream as a
// dvr.Archive: the owner node serves its records and their bytes over
// HTTP (the handlers are in gateway/peer), this node keeps the list of
// records, refreshed every few seconds, and fetches bytes on demand.
//
// This file is the wire between the two: the endpoints, the JSON of a
// page of records, and the bounded parsers of what comes back.
package remote

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"streamhive/media/dvr"
	"streamhive/media/m4f"
	"streamhive/media/segment"
)

// The owner's endpoints. Each takes the stream in the query (stream=NAME:
// names may hold slashes); the records at start=UNIX_NS.
const (
	// PathRecords answers a Page: the records starting after after=UNIX_NS
	// (all when absent), oldest first, and the archive's ranges.
	PathRecords = "/streamhive/cluster/dvr/records"
	PathTS      = "/streamhive/cluster/dvr/ts"   // the record's MPEG-TS
	PathCMAF    = "/streamhive/cluster/dvr/cmaf" // its fragments, concatenated: see PartsHeader
	PathInit    = "/streamhive/cluster/dvr/init" // epoch=N: the epoch's dvr.Init as JSON
)

// ProtectsHeader, set to ProtectsValue on a call, says that the calling
// node protects the stream itself (its drm line encrypts what it plays):
// the same header and meaning as an m4f pull's (media/m4f), which the
// owner of a protected stream requires before it sends clear media.
const (
	ProtectsHeader = m4f.ProtectsHeader
	ProtectsValue  = m4f.ProtectsValue
)

// PartsHeader lists the byte lengths of the CMAF fragments (one per
// track, comma-separated) that a PathCMAF answer concatenates.
const PartsHeader = "X-Streamhive-Parts"

// Bounds of what a node accepts from another: checked before anything
// is allocated for it.
const (
	// MaxPageRecords is the most records in one Page: 2000 records of
	// about 250 bytes of JSON each keep a page near half a megabyte.
	MaxPageRecords = 2000
	// MaxRanges bounds a Page's ranges: an archive of weeks with a gap
	// every minute.
	MaxRanges = 50000
	// MaxPageBytes bounds a Page's body.
	MaxPageBytes = 8 << 20
	// MaxTracks bounds a record's tracks (spans, fragments, init).
	MaxTracks = 16
	// MaxInitBytes bounds an init answer: codec parameters and moovs.
	MaxInitBytes = 1 << 20
	// MaxRecordBytes bounds a record's TS or CMAF: a segment of seconds.
	MaxRecordBytes = 64 << 20
	// maxRecordDuration bounds a record's duration: segments last seconds.
	maxRecordDuration = time.Hour
)

// ErrBadAnswer is wrapped by the parsers: what the other node sent is
// not what the wire says.
var ErrBadAnswer = errors.New("remote dvr: bad answer")

// Page is PathRecords' answer.
type Page struct {
	Ranges  []Range  `json:"ranges"`
	Records []Record `json:"records"`
	// More: records after the last one were left out (MaxPageRecords):
	// ask again after it.
	More bool `json:"more,omitempty"`
}

// Range is a dvr.Range on the wire (Unix nanoseconds, nanoseconds).
type Range struct {
	From     int64 `json:"from_ns"`
	Duration int64 `json:"duration_ns"`
}

// Record is a dvr.Record on the wire: times in nanoseconds, so that the
// record's start (its address) crosses exactly.
type Record struct {
	Start    int64          `json:"start_ns"`
	Duration int64          `json:"duration_ns"`
	DTS      int64          `json:"dts_ns"`
	Epoch    int            `json:"epoch"`
	Gap      bool           `json:"gap,omitempty"`
	Spans    []segment.Span `json:"spans,omitempty"`
	Keyframe bool           `json:"keyframe,omitempty"`
	Size     int64          `json:"size"`
}

// RecordOf is rec on the wire.
func RecordOf(rec dvr.Record) Record {
	return Record{
		Start: rec.Start.UnixNano(), Duration: int64(rec.Duration), DTS: int64(rec.DTS), Epoch: rec.Epoch,
		Gap: rec.Gap, Spans: rec.Spans, Keyframe: rec.Keyframe, Size: rec.Size,
	}
}

// RangeOf is r on the wire.
func RangeOf(r dvr.Range) Range { return Range{From: r.From.UnixNano(), Duration: int64(r.Duration)} }

func (w Record) record() dvr.Record {
	return dvr.Record{
		Start: time.Unix(0, w.Start).UTC(), Duration: time.Duration(w.Duration), DTS: time.Duration(w.DTS),
		Epoch: w.Epoch, Gap: w.Gap, Spans: w.Spans, Keyframe: w.Keyframe, Size: w.Size,
	}
}

func (w Range) dvrRange() dvr.Range {
	return dvr.Range{From: time.Unix(0, w.From).UTC(), Duration: time.Duration(w.Duration)}
}

// ParsePage decodes and checks a Page: sizes and counts within the
// bounds, records and ranges in order with positive durations.
func ParsePage(b []byte) (*Page, error) {
	if len(b) > MaxPageBytes {
		return nil, fmt.Errorf("%w: page of %d bytes", ErrBadAnswer, len(b))
	}
	p := new(Page)
	if err := json.Unmarshal(b, p); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadAnswer, err)
	}
	if len(p.Records) > MaxPageRecords || len(p.Ranges) > MaxRanges {
		return nil, fmt.Errorf("%w: %d records, %d ranges", ErrBadAnswer, len(p.Records), len(p.Ranges))
	}
	for i, r := range p.Ranges {
		if r.Duration < 0 || (i > 0 && r.From < p.Ranges[i-1].From) {
			return nil, fmt.Errorf("%w: range %d", ErrBadAnswer, i)
		}
	}
	for i, r := range p.Records {
		if err := r.check(); err != nil {
			return nil, fmt.Errorf("%w: record %d: %w", ErrBadAnswer, i, err)
		}
		if i > 0 && r.Start <= p.Records[i-1].Start {
			return nil, fmt.Errorf("%w: record %d out of order", ErrBadAnswer, i)
		}
	}
	return p, nil
}

func (w Record) check() error {
	switch {
	case w.Duration <= 0 || w.Duration > int64(maxRecordDuration):
		return fmt.Errorf("duration %d", w.Duration)
	case w.Epoch < 0:
		return fmt.Errorf("epoch %d", w.Epoch)
	case len(w.Spans) > MaxTracks:
		return fmt.Errorf("%d spans", len(w.Spans))
	case w.Size < 0:
		return fmt.Errorf("size %d", w.Size)
	}
	return nil
}

// ParseInit decodes and checks an epoch's dvr.Init: one track, init
// segment and timescale per track, at most MaxTracks.
func ParseInit(b []byte) (*dvr.Init, error) {
	if len(b) > MaxInitBytes {
		return nil, fmt.Errorf("%w: init of %d bytes", ErrBadAnswer, len(b))
	}
	in := new(dvr.Init)
	if err := json.Unmarshal(b, in); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadAnswer, err)
	}
	if n := len(in.Tracks); n > MaxTracks || len(in.CMAF) != n || len(in.Timescales) != n {
		return nil, fmt.Errorf("%w: init of %d tracks, %d segments, %d timescales", ErrBadAnswer, n, len(in.CMAF), len(in.Timescales))
	}
	for i, t := range in.Tracks {
		if t.ID != i {
			return nil, fmt.Errorf("%w: track %d has ID %d", ErrBadAnswer, i, t.ID)
		}
	}
	return in, nil
}

// ParseParts reads PartsHeader: the fragments' lengths, which must add
// up to the body's.
func ParseParts(h string, body int) ([]int, error) {
	if len(h) > MaxTracks*12 {
		return nil, fmt.Errorf("%w: %s of %d bytes", ErrBadAnswer, PartsHeader, len(h))
	}
	fields := strings.Split(h, ",")
	if h == "" || len(fields) > MaxTracks {
		return nil, fmt.Errorf("%w: %s %q", ErrBadAnswer, PartsHeader, h)
	}
	out := make([]int, len(fields))
	sum := 0
	for i, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n > body-sum {
			return nil, fmt.Errorf("%w: %s %q for %d bytes", ErrBadAnswer, PartsHeader, h, body)
		}
		out[i] = n
		sum += n
	}
	if sum != body {
		return nil, fmt.Errorf("%w: %s %q for %d bytes", ErrBadAnswer, PartsHeader, h, body)
	}
	return out, nil
}

// PartsOf is PartsHeader's value for frags.
func PartsOf(frags [][]byte) string {
	s := make([]string, len(frags))
	for i, f := range frags {
		s[i] = strconv.Itoa(len(f))
	}
	return strings.Join(s, ",")
}
