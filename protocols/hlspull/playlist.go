package hlspull

import (
	"bufio"
	"bytes"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Playlist is a parsed M3U8 playlist (RFC 8216 §4): a master playlist
// (Variants set) or a media playlist (Segments set). URIs are resolved
// against the playlist's own URL.
type Playlist struct {
	Variants []Variant

	TargetDuration time.Duration
	MediaSequence  uint64 // the first segment's sequence number
	Segments       []Segment
	Ended          bool // EXT-X-ENDLIST: no segment will be added
}

// Master tells a master playlist from a media playlist.
func (p *Playlist) Master() bool { return len(p.Variants) > 0 }

// Variant is one EXT-X-STREAM-INF entry of a master playlist.
type Variant struct {
	URI       string
	Bandwidth int64
}

// Segment is one media segment of a media playlist.
type Segment struct {
	URI           string
	Seq           uint64        // media sequence number
	Duration      time.Duration // EXTINF
	Map           string        // the EXT-X-MAP init section in force, "" for MPEG-TS
	Discontinuity bool          // EXT-X-DISCONTINUITY before it
}

// maxSegments bounds the segments a playlist may list: a live window is a
// few dozen; an event playlist of a day of 2-second segments is 43200.
const maxSegments = 100_000

// ParsePlaylist parses an M3U8 playlist fetched from base. Tags it does
// not know are ignored, as §6.3.1 asks of clients; tags it cannot honour
// (encryption, byte ranges) fail with ErrUnsupported; anything malformed
// fails with ErrPlaylist.
func ParsePlaylist(b []byte, base *url.URL) (*Playlist, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 64<<10)
	if !sc.Scan() || strings.TrimSpace(sc.Text()) != "#EXTM3U" {
		return nil, fmt.Errorf("%w: no #EXTM3U header", ErrPlaylist)
	}
	p := &playlistParser{base: base, pl: &Playlist{}}
	for line := 2; sc.Scan(); line++ {
		if err := p.line(strings.TrimSpace(sc.Text())); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPlaylist, err)
	}
	return p.finish()
}

// playlistParser holds the tags that apply to the next URI line.
type playlistParser struct {
	base *url.URL
	pl   *Playlist

	seq           uint64
	duration      time.Duration // EXTINF seen, not yet used
	haveInf       bool
	streamInf     *Variant // EXT-X-STREAM-INF seen, not yet used
	mapURI        string
	discontinuity bool
}

func (p *playlistParser) line(l string) error {
	switch {
	case l == "":
		return nil
	case !strings.HasPrefix(l, "#"):
		return p.uri(l)
	case !strings.HasPrefix(l, "#EXT"):
		return nil // a comment
	}
	tag, value, _ := strings.Cut(l, ":")
	switch tag {
	case "#EXT-X-TARGETDURATION":
		n, err := strconv.ParseUint(value, 10, 32)
		if err != nil {
			return fmt.Errorf("%w: target duration %q", ErrPlaylist, value)
		}
		p.pl.TargetDuration = time.Duration(n) * time.Second
	case "#EXT-X-MEDIA-SEQUENCE":
		n, err := strconv.ParseUint(value, 10, 63)
		if err != nil {
			return fmt.Errorf("%w: media sequence %q", ErrPlaylist, value)
		}
		p.pl.MediaSequence, p.seq = n, n
	case "#EXTINF":
		return p.extinf(value)
	case "#EXT-X-DISCONTINUITY":
		p.discontinuity = true
	case "#EXT-X-ENDLIST":
		p.pl.Ended = true
	case "#EXT-X-MAP":
		return p.extMap(value)
	case "#EXT-X-KEY":
		if attrs := parseAttributes(value); attrs["METHOD"] != "NONE" {
			return fmt.Errorf("%w: EXT-X-KEY METHOD=%s (encrypted segments)", ErrUnsupported, attrs["METHOD"])
		}
	case "#EXT-X-BYTERANGE":
		return fmt.Errorf("%w: EXT-X-BYTERANGE", ErrUnsupported)
	case "#EXT-X-STREAM-INF":
		bw, err := strconv.ParseInt(parseAttributes(value)["BANDWIDTH"], 10, 64)
		if err != nil || bw < 0 {
			return fmt.Errorf("%w: EXT-X-STREAM-INF without a BANDWIDTH", ErrPlaylist)
		}
		p.streamInf = &Variant{Bandwidth: bw}
	}
	return nil
}

func (p *playlistParser) extinf(value string) error {
	d, _, _ := strings.Cut(value, ",")
	secs, err := strconv.ParseFloat(strings.TrimSpace(d), 64)
	if err != nil || secs < 0 || secs > 86400 {
		return fmt.Errorf("%w: EXTINF %q", ErrPlaylist, value)
	}
	p.duration, p.haveInf = time.Duration(secs*float64(time.Second)), true
	return nil
}

func (p *playlistParser) extMap(value string) error {
	attrs := parseAttributes(value)
	if _, ok := attrs["BYTERANGE"]; ok {
		return fmt.Errorf("%w: EXT-X-MAP BYTERANGE", ErrUnsupported)
	}
	u, err := p.resolve(attrs["URI"])
	if err != nil {
		return err
	}
	p.mapURI = u
	return nil
}

func (p *playlistParser) uri(l string) error {
	u, err := p.resolve(l)
	if err != nil {
		return err
	}
	switch {
	case p.streamInf != nil:
		p.streamInf.URI = u
		p.pl.Variants = append(p.pl.Variants, *p.streamInf)
		p.streamInf = nil
	case p.haveInf:
		if len(p.pl.Segments) == maxSegments {
			return fmt.Errorf("%w: more than %d segments", ErrPlaylist, maxSegments)
		}
		p.pl.Segments = append(p.pl.Segments, Segment{
			URI: u, Seq: p.seq, Duration: p.duration, Map: p.mapURI, Discontinuity: p.discontinuity,
		})
		p.seq++
		p.haveInf, p.discontinuity = false, false
	default:
		return fmt.Errorf("%w: URI %q without EXTINF or EXT-X-STREAM-INF", ErrPlaylist, l)
	}
	return nil
}

func (p *playlistParser) resolve(ref string) (string, error) {
	if ref == "" {
		return "", fmt.Errorf("%w: empty URI", ErrPlaylist)
	}
	u, err := url.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("%w: URI %q: %w", ErrPlaylist, ref, err)
	}
	if p.base != nil {
		u = p.base.ResolveReference(u)
	}
	return u.String(), nil
}

// finish checks what a usable playlist must have.
func (p *playlistParser) finish() (*Playlist, error) {
	pl := p.pl
	switch {
	case len(pl.Variants) > 0 && len(pl.Segments) > 0:
		return nil, fmt.Errorf("%w: both variants and segments", ErrPlaylist)
	case len(pl.Variants) > 0:
		return pl, nil
	case pl.TargetDuration <= 0:
		return nil, fmt.Errorf("%w: no EXT-X-TARGETDURATION", ErrPlaylist)
	}
	return pl, nil
}

// parseAttributes parses an attribute list (§4.2): NAME=VALUE pairs
// separated by commas, where a quoted value may hold commas. Quotes are
// removed; malformed pairs are skipped.
func parseAttributes(s string) map[string]string {
	out := map[string]string{}
	for s != "" {
		name, rest, ok := strings.Cut(s, "=")
		if !ok {
			break
		}
		var value string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				break
			}
			value, rest = rest[1:end+1], rest[end+2:]
			_, rest, _ = strings.Cut(rest, ",")
		} else {
			value, rest, _ = strings.Cut(rest, ",")
		}
		out[strings.TrimSpace(name)] = strings.TrimSpace(value)
		s = rest
	}
	return out
}
