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
	Ended    bool          // EXT-X-ENDLIST
}

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
			segment = true
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
			segment, gap = false, false
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
