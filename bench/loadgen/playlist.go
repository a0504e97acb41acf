package main

import (
	"bufio"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ErrBadPlaylist marks a body that is not an HLS playlist we can follow.
var ErrBadPlaylist = errors.New("loadgen: bad playlist")

// mediaPlaylist is the part of an HLS media playlist (RFC 8216 §4.3.3) a
// player needs to follow a live stream.
type mediaPlaylist struct {
	Target   time.Duration // EXT-X-TARGETDURATION
	Sequence int64         // EXT-X-MEDIA-SEQUENCE of Segments[0]
	Segments []string      // URIs, in order
	Gap      []bool        // per segment: EXT-X-GAP, a segment that is missing
	// Per segment: its EXTINF duration, and its EXT-X-PROGRAM-DATE-TIME
	// (the zero time when it has none).
	Durations []time.Duration
	Dates     []time.Time
	Ended     bool // EXT-X-ENDLIST
}

// maxSegmentSeconds bounds an EXTINF: no live segment lasts an hour.
const maxSegmentSeconds = 3600

// playlist is either a master (Variants set) or a media playlist.
type playlist struct {
	Variants []string // URIs after EXT-X-STREAM-INF, in order
	Media    mediaPlaylist
}

// parsePlaylist reads an M3U8 body. URIs are returned as written;
// resolve them against the playlist's URL.
func parsePlaylist(body string) (playlist, error) {
	var pl playlist
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	first, streamInf, segment, gap := true, false, false, false
	var dur time.Duration
	var date time.Time
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if first {
			if line != "#EXTM3U" {
				return playlist{}, fmt.Errorf("%w: no #EXTM3U", ErrBadPlaylist)
			}
			first = false
			continue
		}
		tagName, value, _ := strings.Cut(line, ":")
		switch {
		case tagName == "#EXT-X-STREAM-INF":
			streamInf = true
		case tagName == "#EXTINF":
			secs, err := strconv.ParseFloat(strings.TrimSpace(strings.SplitN(value, ",", 2)[0]), 64)
			if err != nil || secs < 0 || secs > maxSegmentSeconds {
				return playlist{}, fmt.Errorf("%w: EXTINF %q", ErrBadPlaylist, value)
			}
			segment, dur = true, time.Duration(secs*float64(time.Second))
		case tagName == "#EXT-X-PROGRAM-DATE-TIME":
			t, err := time.Parse(time.RFC3339Nano, value)
			if err != nil {
				return playlist{}, fmt.Errorf("%w: program date time %q", ErrBadPlaylist, value)
			}
			date = t
		case tagName == "#EXT-X-TARGETDURATION":
			secs, err := strconv.ParseFloat(value, 64)
			if err != nil || secs <= 0 {
				return playlist{}, fmt.Errorf("%w: target duration %q", ErrBadPlaylist, value)
			}
			pl.Media.Target = time.Duration(secs * float64(time.Second))
		case tagName == "#EXT-X-MEDIA-SEQUENCE":
			n, err := strconv.ParseInt(value, 10, 64)
			if err != nil || n < 0 {
				return playlist{}, fmt.Errorf("%w: media sequence %q", ErrBadPlaylist, value)
			}
			pl.Media.Sequence = n
		case tagName == "#EXT-X-GAP":
			gap = true
		case tagName == "#EXT-X-ENDLIST":
			pl.Media.Ended = true
		case strings.HasPrefix(line, "#"):
			// another tag or a comment
		case streamInf:
			pl.Variants = append(pl.Variants, line)
			streamInf = false
		case segment:
			pl.Media.Segments = append(pl.Media.Segments, line)
			pl.Media.Gap = append(pl.Media.Gap, gap)
			pl.Media.Durations = append(pl.Media.Durations, dur)
			pl.Media.Dates = append(pl.Media.Dates, date)
			segment, gap, date = false, false, time.Time{}
		}
	}
	if err := sc.Err(); err != nil {
		return playlist{}, fmt.Errorf("%w: %w", ErrBadPlaylist, err)
	}
	if first {
		return playlist{}, fmt.Errorf("%w: empty", ErrBadPlaylist)
	}
	if len(pl.Variants) == 0 && len(pl.Media.Segments) > 0 && pl.Media.Target == 0 {
		return playlist{}, fmt.Errorf("%w: segments without EXT-X-TARGETDURATION", ErrBadPlaylist)
	}
	return pl, nil
}

// resolve returns ref relative to base, as a player resolves playlist URIs.
func resolve(base, ref string) (string, error) {
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	r, err := url.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("%w: uri %q", ErrBadPlaylist, ref)
	}
	return b.ResolveReference(r).String(), nil
}
