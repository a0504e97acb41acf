// Package hls renders HLS and LL-HLS playlists (RFC 8216, RFC 8216bis) from
// a segment.Window. Renderers are pure functions of the window and their
// options: they read nothing else, so the gateway may call them from any
// goroutine and cache the bytes by Window.Version.
package hls

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"streamhive/media/segment"
)

// Format is the container a playlist's segments use.
type Format int

// Formats.
const (
	// TS: MPEG-TS segments with every track muxed together.
	TS Format = iota
	// FMP4: CMAF segments, one playlist per track (audio as a rendition).
	FMP4
)

// Names gives the URIs that playlists write, relative to the playlist. The
// gateway decides its URL scheme by passing its own Names; DefaultNames is
// a scheme it can serve as is.
type Names interface {
	// Playlist names the media playlist of a format and (for FMP4) track.
	Playlist(f Format, track int, lowLatency bool) string
	// Init names a track's CMAF init segment of an epoch.
	Init(init *segment.Init, track int) string
	// Segment and Part name a segment or a part of one (track only for FMP4).
	Segment(seg *segment.Segment, f Format, track int) string
	Part(seg *segment.Segment, part int, f Format, track int) string
}

// DefaultNames is StreamHive's URL scheme, following Flussonic's playlist
// names where they exist, relative to /NAME/:
//
//	mono.m3u8, mono.ll.m3u8           TS, all tracks muxed (Flussonic's mono)
//	track-T.m3u8, track-T.ll.m3u8     CMAF track T (T = Track.ID)
//	init-E.tT.mp4                     CMAF init of track T in epoch E
//	seg-MSN.ts, seg-MSN.part-N.ts     TS segment and LL-HLS part N
//	seg-MSN.tT.m4s, seg-MSN.part-N.tT.m4s   CMAF segment and part of track T
//
// index.m3u8 (the master) and index.mpd are the gateway's to name.
// ParseName reads the segment names back.
type DefaultNames struct{}

// Playlist implements Names.
func (DefaultNames) Playlist(f Format, track int, lowLatency bool) string {
	ext := ".m3u8"
	if lowLatency {
		ext = ".ll.m3u8"
	}
	if f == TS {
		return "mono" + ext
	}
	return "track-" + strconv.Itoa(track) + ext
}

// Init implements Names.
func (DefaultNames) Init(init *segment.Init, track int) string {
	return fmt.Sprintf("init-%d.t%d.mp4", init.Epoch, track)
}

// Segment implements Names.
func (DefaultNames) Segment(seg *segment.Segment, f Format, track int) string {
	if f == TS {
		return fmt.Sprintf("seg-%d.ts", seg.MSN)
	}
	return fmt.Sprintf("seg-%d.t%d.m4s", seg.MSN, track)
}

// Part implements Names.
func (DefaultNames) Part(seg *segment.Segment, part int, f Format, track int) string {
	if f == TS {
		return fmt.Sprintf("seg-%d.part-%d.ts", seg.MSN, part)
	}
	return fmt.Sprintf("seg-%d.part-%d.t%d.m4s", seg.MSN, part, track)
}

// ErrBadName is returned by ParseName for a name DefaultNames never writes.
var ErrBadName = errors.New("hls: not a segment name")

// Ref is what a DefaultNames segment name refers to.
type Ref struct {
	Format Format
	Init   bool   // an init segment: Epoch and Track are set
	Epoch  int    // init only
	MSN    uint64 // segment or part
	Part   int    // -1 for a whole segment
	Track  int    // FMP4 only
}

// ParseName parses a name written by DefaultNames (the last path element).
func ParseName(name string) (Ref, error) {
	bad := func() error { return fmt.Errorf("%w: %q", ErrBadName, name) } // made only on failure: serving a name allocates nothing
	if rest, ok := strings.CutPrefix(name, "init-"); ok {
		rest, ok = strings.CutSuffix(rest, ".mp4")
		e, t, ok2 := strings.Cut(rest, ".t")
		epoch, err1 := atoi(e)
		track, err2 := atoi(t)
		if !ok || !ok2 || err1 != nil || err2 != nil {
			return Ref{}, bad()
		}
		return Ref{Format: FMP4, Init: true, Epoch: epoch, Track: track, Part: -1}, nil
	}
	rest, ok := strings.CutPrefix(name, "seg-")
	if !ok {
		return Ref{}, bad()
	}
	r := Ref{Part: -1}
	if body, ok := strings.CutSuffix(rest, ".ts"); ok {
		r.Format, rest = TS, body
	} else if body, ok := strings.CutSuffix(rest, ".m4s"); ok {
		i := strings.LastIndex(body, ".t")
		if i < 0 {
			return Ref{}, bad()
		}
		track, err := atoi(body[i+2:])
		if err != nil {
			return Ref{}, bad()
		}
		r.Format, r.Track, rest = FMP4, track, body[:i]
	} else {
		return Ref{}, bad()
	}
	msn, part, hasPart := strings.Cut(rest, ".part-")
	if !canonical(msn) {
		return Ref{}, bad()
	}
	n, err := strconv.ParseUint(msn, 10, 64)
	if err != nil {
		return Ref{}, bad()
	}
	r.MSN = n
	if hasPart {
		if r.Part, err = atoi(part); err != nil {
			return Ref{}, bad()
		}
	}
	return r, nil
}

// atoi parses a canonical non-negative decimal int.
func atoi(s string) (int, error) {
	if !canonical(s) {
		return 0, ErrBadName
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, ErrBadName
	}
	return n, nil
}

// canonical reports whether s is a non-negative decimal without sign or
// leading zeros, checked before parsing so that a bad name costs no
// strconv error.
func canonical(s string) bool {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
