package vod

import (
	"fmt"
	"math"
	"strings"
	"time"

	"streamhive/media"
	"streamhive/media/codec"
)

// The names playlists and MPDs write, relative to FILE.mp4/; they follow
// the live scheme (media/hls.DefaultNames, media/dash.DefaultNames), so
// hls.ParseName reads a segment name back.
const (
	tsPlaylist = "mono.m3u8"
	// fMP4 names take a track ID.
	fmp4Playlist = "track-%d.m3u8"
	initName     = "init-0.t%d.mp4"
	tsSegment    = "seg-%d.ts"
	fmp4Segment  = "seg-%d.t%d.m4s"
)

// bandwidth estimates a bit rate from the file's size and duration, times
// 1.5 for the peak (the tables could give it exactly; the estimate costs
// nothing and players only use it to choose).
func (a *Asset) bandwidth() int {
	d := a.Duration().Seconds()
	if d <= 0 {
		return 0
	}
	return int(float64(a.Size()*8) / d * 1.5)
}

// Master renders the HLS master playlist. TS: one variant with every
// track muxed (mono.m3u8). FMP4: the first video track's playlist as the
// variant, each audio track an EXT-X-MEDIA rendition of one group (the
// first the default), so a player offers every audio track. Either way
// each subtitle track is a SUBTITLES rendition of WebVTT segments.
func (a *Asset) Master(fmp4 bool, query string) ([]byte, error) {
	codecs, err := codec.Join(a.Tracks())
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n")
	video := a.Tracks()[a.lead]
	res := ""
	if video.Codec.Kind() == media.KindVideo {
		res = fmt.Sprintf(",RESOLUTION=%dx%d", video.Width, video.Height)
	}
	subs := a.textRenditions(&b, fmp4, "", query)
	if !fmp4 {
		fmt.Fprintf(&b, "#EXT-X-STREAM-INF:BANDWIDTH=%d,CODECS=%q%s%s\n%s%s\n", a.bandwidth(), codecs, res, subs, tsPlaylist, query)
		return []byte(b.String()), nil
	}
	audio := ""
	for _, t := range a.Tracks() {
		if t.ID == a.lead || t.Codec.Kind() != media.KindAudio {
			continue
		}
		def := "NO"
		if audio == "" {
			def, audio = "YES", `,AUDIO="audio"`
		}
		fmt.Fprintf(&b, "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"audio%d\",DEFAULT=%s,AUTOSELECT=YES,URI=\"%s%s\"\n",
			t.ID, def, fmt.Sprintf(fmp4Playlist, t.ID), query)
	}
	fmt.Fprintf(&b, "#EXT-X-STREAM-INF:BANDWIDTH=%d,CODECS=%q%s%s%s\n%s%s\n", a.bandwidth(), codecs, res, audio, subs,
		fmt.Sprintf(fmp4Playlist, a.lead), query)
	return []byte(b.String()), nil
}

// Media renders a VOD media playlist: every segment, EXT-X-ENDLIST. track
// < 0: the TS playlist; else track's fMP4 playlist.
func (a *Asset) Media(track int, query string) ([]byte, error) {
	if track >= len(a.Tracks()) {
		return nil, fmt.Errorf("%w: track %d", ErrNotFound, track)
	}
	var longest time.Duration
	for k := range a.Segments() {
		_, d := a.Span(k)
		longest = max(longest, d)
	}
	version := 3
	if track >= 0 {
		version = 7
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#EXTM3U\n#EXT-X-VERSION:%d\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-TARGETDURATION:%d\n#EXT-X-MEDIA-SEQUENCE:0\n",
		version, int(math.Ceil(longest.Seconds())))
	if track >= 0 {
		fmt.Fprintf(&b, "#EXT-X-MAP:URI=\"%s%s\"\n", fmt.Sprintf(initName, track), query)
	}
	for k := range a.Segments() {
		_, d := a.Span(k)
		name := fmt.Sprintf(tsSegment, k)
		if track >= 0 {
			name = fmt.Sprintf(fmp4Segment, k, track)
		}
		fmt.Fprintf(&b, "#EXTINF:%.3f,\n%s%s\n", d.Seconds(), name, query)
	}
	b.WriteString("#EXT-X-ENDLIST\n")
	return []byte(b.String()), nil
}

// MPD renders a static DASH manifest (ISO/IEC 23009-1, on-demand use of
// the live profile's SegmentTemplate): an AdaptationSet per track, each
// with a SegmentTimeline of its own samples' times in its CMAF timescale,
// so that every entry matches its fragment's tfdt.
func (a *Asset) MPD(query string) ([]byte, error) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, `<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static"`+
		` mediaPresentationDuration="%s" minBufferTime="PT2S">`+"\n  <Period id=\"0\" start=\"PT0S\">\n", xsDuration(a.Duration()))
	for _, t := range a.Tracks() {
		if err := a.adaptationSet(&b, t, query); err != nil {
			return nil, err
		}
	}
	a.textAdaptationSets(&b, "", query, len(a.Tracks()))
	b.WriteString("  </Period>\n</MPD>\n")
	return []byte(b.String()), nil
}

func (a *Asset) adaptationSet(b *strings.Builder, t media.Track, query string) error {
	codecs, err := codec.String(t)
	if err != nil {
		return err
	}
	kind := t.Codec.Kind()
	scale := a.init.Timescales[t.ID]
	q := xmlAttr(query)
	fmt.Fprintf(b, "    <AdaptationSet id=\"%d\" contentType=\"%s\" mimeType=\"%s/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\">\n", t.ID, kind, kind)
	a.segmentTemplate(b, t.ID, "", q, "      ")
	fmt.Fprintf(b, "      <Representation id=\"%d\" codecs=\"%s\" bandwidth=\"%d\"", t.ID, codecs, a.bandwidth())
	if kind == media.KindVideo {
		fmt.Fprintf(b, " width=\"%d\" height=\"%d\"/>\n", t.Width, t.Height)
	} else {
		fmt.Fprintf(b, " audioSamplingRate=\"%d\"/>\n", scale)
	}
	b.WriteString("    </AdaptationSet>\n")
	return nil
}

// segmentTemplate writes track id's SegmentTemplate and timeline, its
// URLs under prefix (a rendition's folder relative to the manifest; ""
// for the file's own), each line indented by indent.
func (a *Asset) segmentTemplate(b *strings.Builder, id int, prefix, q, indent string) {
	scale := a.init.Timescales[id]
	p := xmlAttr(prefix)
	fmt.Fprintf(b, "%s<SegmentTemplate timescale=\"%d\" initialization=\"%s%s%s\" media=\"%sseg-$Number$.t%d.m4s%s\" startNumber=\"0\">\n%s  <SegmentTimeline>\n",
		indent, scale, p, fmt.Sprintf(initName, id), q, p, id, q, indent)
	for k := range a.Segments() {
		from, to := units(a.TrackStart(id, k), scale), units(a.trackEnd(id, k), scale)
		fmt.Fprintf(b, "%s    <S t=\"%d\" d=\"%d\"/>\n", indent, from, max(to-from, 1))
	}
	fmt.Fprintf(b, "%s  </SegmentTimeline>\n%s</SegmentTemplate>\n", indent, indent)
}

// trackEnd is where track id's part of segment k ends: the next segment's
// first sample of the track, or the file's end.
func (a *Asset) trackEnd(id, k int) time.Duration {
	if k+1 < a.Segments() {
		return a.TrackStart(id, k+1)
	}
	return a.Duration()
}

// units converts d to a timescale, flooring, as the segmenter does.
func units(d time.Duration, scale uint32) int64 {
	return int64(d/time.Second)*int64(scale) + int64(d%time.Second)*int64(scale)/int64(time.Second)
}

func xsDuration(d time.Duration) string { return fmt.Sprintf("PT%.3fS", d.Seconds()) }

func xmlAttr(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
