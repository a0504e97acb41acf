package dvr

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"streamhive/media/segment"
)

// The on-disk layout of one stream under one root:
//
//	ROOT/STREAM/YYYY/MM/DD/HH/START-DUR.ts    the segment as MPEG-TS (plays as is)
//	ROOT/STREAM/YYYY/MM/DD/HH/START-DUR.m4s   its CMAF fragments, track after track
//	ROOT/STREAM/YYYY/MM/DD/HH/START-DUR.json  its record (meta), written last
//	ROOT/STREAM/init/EPOCH.json               an epoch's tracks and init segments
//
// STREAM is the stream name path-escaped (live/bunny is live%2Fbunny, so
// no stream's directory holds another's); YYYY/MM/DD/HH is the segment's
// start in UTC; START is its start in Unix milliseconds and DUR its
// duration in milliseconds. Every file is written under a temporary name
// (a leading ".tmp-"), synced and renamed, and the .json last: a segment
// exists when its .json does and the sizes it records match the files.
// Whatever a crash leaves besides (temporary files, a .ts or .m4s without
// its .json) is deleted when the store opens. Several roots hold disjoint
// sets of segments of the same stream; each holds the init files of the
// epochs of its segments.

const (
	extTS   = ".ts"
	extCMAF = ".m4s"
	extMeta = ".json"
	tmpPref = ".tmp-"
	initDir = "init"
)

// streamDir is the directory of stream under root.
func streamDir(root, stream string) string {
	return filepath.Join(root, url.PathEscape(stream))
}

// hourDir is the directory of a segment starting at start.
func hourDir(root, stream string, start time.Time) string {
	t := start.UTC()
	return filepath.Join(streamDir(root, stream),
		fmt.Sprintf("%04d", t.Year()), fmt.Sprintf("%02d", t.Month()),
		fmt.Sprintf("%02d", t.Day()), fmt.Sprintf("%02d", t.Hour()))
}

// baseName is a segment's file name without extension.
func baseName(start time.Time, dur time.Duration) string {
	return strconv.FormatInt(start.UnixMilli(), 10) + "-" + strconv.FormatInt(dur.Milliseconds(), 10)
}

// isBaseName reports whether s looks like a baseName.
func isBaseName(s string) bool {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return false
	}
	_, err1 := strconv.ParseInt(a, 10, 64)
	_, err2 := strconv.ParseInt(b, 10, 64)
	return err1 == nil && err2 == nil
}

// errBadRecord: a segment's .json that no writer of ours wrote.
var errBadRecord = errors.New("dvr: bad segment record")

// meta is a segment's .json: its Record less what the index derives.
type meta struct {
	Start    int64          `json:"start_ms"` // Unix milliseconds
	Duration time.Duration  `json:"duration_ns"`
	DTS      time.Duration  `json:"dts_ns"`
	Epoch    int            `json:"epoch"`
	Gap      bool           `json:"gap,omitempty"`
	Keyframe bool           `json:"keyframe,omitempty"`
	Spans    []segment.Span `json:"spans,omitempty"`
	TS       int64          `json:"ts_bytes"`
	CMAF     []int64        `json:"cmaf_bytes"` // per track, in the .m4s in this order
}

func (m *meta) record() Record {
	r := Record{
		Start: time.UnixMilli(m.Start).UTC(), Duration: m.Duration, DTS: m.DTS, Epoch: m.Epoch,
		Gap: m.Gap, Keyframe: m.Keyframe, Spans: m.Spans, Size: m.TS,
	}
	for _, n := range m.CMAF {
		r.Size += n
	}
	return r
}

func (m *meta) cmafSize() int64 {
	var n int64
	for _, x := range m.CMAF {
		n += x
	}
	return n
}

// initFile is an epoch's init file.
type initFile struct {
	Epoch int `json:"epoch"`
	Init
}

func decodeMeta(b []byte) (*meta, error) {
	m := new(meta)
	if err := json.Unmarshal(b, m); err != nil {
		return nil, err
	}
	if m.TS < 0 || m.Duration <= 0 || m.Epoch < 0 {
		return nil, errBadRecord
	}
	for _, n := range m.CMAF {
		if n < 0 {
			return nil, errBadRecord
		}
	}
	return m, nil
}
