package vod

import (
	"fmt"
	"math"
	"strings"
	"time"

	"streamhive/media/mp4file"
	"streamhive/media/segment"
)

// The names of a file's subtitles (WebVTT made from its text tracks),
// relative to FILE.mp4/. Flussonic's pages name no URLs of VOD subtitles,
// so these follow the track names above: a playlist per variant, since a
// segment's X-TIMESTAMP-MAP differs (MPEG-TS timestamps start at
// segment.TSBase, CMAF ones at 0), and one whole file for DASH.
const (
	textPlaylistTS   = "text-%d.m3u8"
	textPlaylistFMP4 = "text-%d.fmp4.m3u8"
	textSegmentTS    = "text-%d-%d.vtt"
	textSegmentFMP4  = "text-%d-%d.fmp4.vtt"
	textFile         = "text-%d.vtt"
	textGroup        = "subs"
)

// TypeVTT is WebVTT's media type.
const TypeVTT = "text/vtt"

// Subtitles are the file's text tracks (index = the number in their names).
func (a *Asset) Subtitles() []*mp4file.Subtitle { return a.movie.Subtitles }

// Text answers a subtitle name of the file (a playlist or WebVTT), its
// body and content type; ok is false for a name that is none of them.
func (a *Asset) Text(name, query string) (body []byte, ctype string, ok bool, err error) {
	var i, k int
	switch {
	case scan(name, textPlaylistTS, &i):
		body, err = a.textMedia(i, false, query)
		return body, "application/vnd.apple.mpegurl", true, err
	case scan(name, textPlaylistFMP4, &i):
		body, err = a.textMedia(i, true, query)
		return body, "application/vnd.apple.mpegurl", true, err
	case scan(name, textSegmentTS, &i, &k):
		body, err = a.textSegment(i, k, false)
	case scan(name, textSegmentFMP4, &i, &k):
		body, err = a.textSegment(i, k, true)
	case scan(name, textFile, &i):
		body, err = a.textWhole(i)
	default:
		return nil, "", false, nil
	}
	return body, TypeVTT, true, err
}

// scan reads name as format exactly (no other spelling of the numbers).
func scan(name, format string, nums ...*int) bool {
	args := make([]any, len(nums))
	for j, n := range nums {
		args[j] = n
	}
	if _, err := fmt.Sscanf(name, format, args...); err != nil {
		return false
	}
	for j, n := range nums {
		if *n < 0 {
			return false
		}
		args[j] = *n
	}
	return fmt.Sprintf(format, args...) == name
}

// textMedia renders subtitle track i's playlist: a WebVTT segment for
// each of the file's segments, with their durations, so players fetch
// the text of what they play.
func (a *Asset) textMedia(i int, fmp4 bool, query string) ([]byte, error) {
	if i >= len(a.Subtitles()) {
		return nil, fmt.Errorf("%w: text track %d", ErrNotFound, i)
	}
	var longest time.Duration
	for k := range a.Segments() {
		_, d := a.Span(k)
		longest = max(longest, d)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-TARGETDURATION:%d\n#EXT-X-MEDIA-SEQUENCE:0\n",
		int(math.Ceil(longest.Seconds())))
	name := textSegmentTS
	if fmp4 {
		name = textSegmentFMP4
	}
	for k := range a.Segments() {
		_, d := a.Span(k)
		fmt.Fprintf(&b, "#EXTINF:%.3f,\n%s%s\n", d.Seconds(), fmt.Sprintf(name, i, k), query)
	}
	b.WriteString("#EXT-X-ENDLIST\n")
	return []byte(b.String()), nil
}

// textSegment renders segment k of subtitle track i: the cues showing
// during the segment, whole (a cue spanning two segments is in both; HLS
// players drop the repeat), on the variant's own timeline: TS timestamps
// run segment.TSBase ahead of the file's, so the cues do too and the map
// says where LOCAL 0 of the file is (players that read the map place
// them, players that do not still find them beside their TS frames).
func (a *Asset) textSegment(i, k int, fmp4 bool) ([]byte, error) {
	if i >= len(a.Subtitles()) {
		return nil, fmt.Errorf("%w: text track %d", ErrNotFound, i)
	}
	if k >= a.Segments() {
		return nil, fmt.Errorf("%w: %d", ErrNoSegment, k)
	}
	from, d := a.Span(k)
	cues, err := a.movie.Cues(i, from, from+d)
	if err != nil {
		return nil, err
	}
	base, mpegts := segment.TSBase, int64(segment.TSBase/time.Millisecond)*90
	if fmp4 {
		base, mpegts = 0, 0
	}
	var b strings.Builder
	fmt.Fprintf(&b, "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:%d,LOCAL:%s\n", mpegts, vttTime(base))
	writeCues(&b, cues, base)
	return []byte(b.String()), nil
}

// textWhole renders subtitle track i as one WebVTT file on the file's
// timeline (DASH's text AdaptationSet).
func (a *Asset) textWhole(i int) ([]byte, error) {
	if i >= len(a.Subtitles()) {
		return nil, fmt.Errorf("%w: text track %d", ErrNotFound, i)
	}
	cues, err := a.movie.Cues(i, 0, a.Duration()+time.Hour)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("WEBVTT\n")
	writeCues(&b, cues, 0)
	return []byte(b.String()), nil
}

func writeCues(b *strings.Builder, cues []mp4file.Cue, shift time.Duration) {
	for _, c := range cues {
		fmt.Fprintf(b, "\n%s --> %s\n%s\n", vttTime(c.Start+shift), vttTime(c.End+shift), c.Text)
	}
}

// vttTime writes a WebVTT timestamp, hh:mm:ss.ttt.
func vttTime(d time.Duration) string {
	ms := max(d.Milliseconds(), 0)
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3_600_000, ms/60_000%60, ms/1000%60, ms%1000)
}

// language is a track's LANGUAGE for playlists and MPDs: mdhd's code, or
// none when it says "und".
func language(s *mp4file.Subtitle) string {
	if s.Language == "und" || len(s.Language) != 3 {
		return ""
	}
	for _, c := range s.Language {
		if c < 'a' || c > 'z' {
			return ""
		}
	}
	return s.Language
}

// textRenditions writes an EXT-X-MEDIA of each subtitle track (the
// variant's own playlists, under prefix) and returns the STREAM-INF
// attribute naming their group, or "" without subtitles.
func (a *Asset) textRenditions(b *strings.Builder, fmp4 bool, prefix, query string) string {
	name := textPlaylistTS
	if fmp4 {
		name = textPlaylistFMP4
	}
	for i, s := range a.Subtitles() {
		lang, label := language(s), fmt.Sprintf("subtitles%d", i)
		if lang != "" {
			lang, label = fmt.Sprintf(",LANGUAGE=%q", lang), lang
		}
		fmt.Fprintf(b, "#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID=%q,NAME=%q%s,DEFAULT=NO,AUTOSELECT=YES,URI=\"%s%s%s\"\n",
			textGroup, label, lang, prefix, fmt.Sprintf(name, i), query)
	}
	if len(a.Subtitles()) == 0 {
		return ""
	}
	return fmt.Sprintf(",SUBTITLES=%q", textGroup)
}

// textAdaptationSets writes a text AdaptationSet per subtitle track: one
// WebVTT file for the whole Period (ISO/IEC 23009-1 §5.3.9.2 BaseURL; DASH-IF
// IOP's side-loaded text/vtt), under prefix, ids from firstID on.
func (a *Asset) textAdaptationSets(b *strings.Builder, prefix, query string, firstID int) {
	for i, s := range a.Subtitles() {
		id := firstID + i
		lang := ""
		if l := language(s); l != "" {
			lang = fmt.Sprintf(" lang=%q", l)
		}
		fmt.Fprintf(b, "    <AdaptationSet id=\"%d\" contentType=\"text\" mimeType=\"%s\"%s>\n", id, TypeVTT, lang)
		b.WriteString("      <Role schemeIdUri=\"urn:mpeg:dash:role:2011\" value=\"subtitle\"/>\n")
		fmt.Fprintf(b, "      <Representation id=\"%d\" bandwidth=\"256\">\n        <BaseURL>%s%s%s</BaseURL>\n      </Representation>\n",
			id, xmlAttr(prefix), fmt.Sprintf(textFile, i), xmlAttr(query))
		b.WriteString("    </AdaptationSet>\n")
	}
}
