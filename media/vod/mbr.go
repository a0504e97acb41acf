package vod

import (
	"fmt"
	"strings"
	"time"

	"streamhive/media"
	"streamhive/media/codec"
)

// Variant is one rendition of a multi-bitrate presentation (a SMIL file's
// or a folder's): its opened file and where the file's own URLs are,
// relative to the presentation's manifests (prefix ends in "/"). The
// presentation's playlists point into each file's playlists and segments,
// so a rendition's segments are cut and cached once however it is reached.
type Variant struct {
	Prefix    string
	Asset     *Asset
	Rendition Rendition
}

func (v Variant) bandwidth() int {
	if v.Rendition.Bitrate > 0 {
		return v.Rendition.Bitrate
	}
	return v.Asset.bandwidth()
}

// firstAudio returns the first audio track of a, or false.
func (a *Asset) firstAudio() (media.Track, bool) {
	for _, t := range a.Tracks() {
		if t.Codec.Kind() == media.KindAudio {
			return t, true
		}
	}
	return media.Track{}, false
}

// MBRMaster renders the HLS master playlist of a presentation: one
// variant per rendition. TS: each rendition's muxed playlist. FMP4: each
// rendition's video playlist, with the first rendition's first audio track
// as the one audio rendition they share. The first rendition's subtitle
// tracks are the presentation's.
func MBRMaster(vs []Variant, fmp4 bool, query string) ([]byte, error) {
	var b strings.Builder
	b.WriteString("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n")
	audio, hasAudio := vs[0].Asset.firstAudio()
	if fmp4 && hasAudio {
		fmt.Fprintf(&b, "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"audio\",DEFAULT=YES,AUTOSELECT=YES,URI=\"%s%s%s\"\n",
			vs[0].Prefix, fmt.Sprintf(fmp4Playlist, audio.ID), query)
	}
	subs := vs[0].Asset.textRenditions(&b, fmp4, vs[0].Prefix, query)
	for _, v := range vs {
		a := v.Asset
		video := a.Tracks()[a.lead]
		tracks, uri := a.Tracks(), tsPlaylist
		if fmp4 {
			tracks, uri = []media.Track{video}, fmt.Sprintf(fmp4Playlist, a.lead)
			if hasAudio {
				tracks = append(tracks, audio)
			}
		}
		codecs, err := codec.Join(tracks)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "#EXT-X-STREAM-INF:BANDWIDTH=%d,CODECS=%q", v.bandwidth(), codecs)
		if video.Codec.Kind() == media.KindVideo {
			fmt.Fprintf(&b, ",RESOLUTION=%dx%d", video.Width, video.Height)
		}
		if fmp4 && hasAudio {
			b.WriteString(`,AUDIO="audio"`)
		}
		b.WriteString(subs)
		fmt.Fprintf(&b, "\n%s%s%s\n", v.Prefix, uri, query)
	}
	return []byte(b.String()), nil
}

// MBRMPD renders a presentation's static DASH manifest: one video
// AdaptationSet with a Representation per rendition (each its own
// SegmentTemplate under its prefix), and the first rendition's audio
// tracks as audio AdaptationSets, its subtitle tracks as text ones.
func MBRMPD(vs []Variant, query string) ([]byte, error) {
	var longest time.Duration
	for _, v := range vs {
		longest = max(longest, v.Asset.Duration())
	}
	q := xmlAttr(query)
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, `<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static"`+
		` mediaPresentationDuration="%s" minBufferTime="PT2S">`+"\n  <Period id=\"0\" start=\"PT0S\">\n", xsDuration(longest))
	b.WriteString("    <AdaptationSet id=\"0\" contentType=\"video\" mimeType=\"video/mp4\" segmentAlignment=\"false\" startWithSAP=\"1\">\n")
	for i, v := range vs {
		a := v.Asset
		t := a.Tracks()[a.lead]
		if t.Codec.Kind() != media.KindVideo {
			return nil, fmt.Errorf("%w: rendition %s has no video", ErrCorrupt, v.Rendition.Path)
		}
		codecs, err := codec.String(t)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "      <Representation id=\"v%d\" codecs=\"%s\" bandwidth=\"%d\" width=\"%d\" height=\"%d\">\n",
			i, codecs, v.bandwidth(), t.Width, t.Height)
		a.segmentTemplate(&b, t.ID, v.Prefix, q, "        ")
		b.WriteString("      </Representation>\n")
	}
	b.WriteString("    </AdaptationSet>\n")
	first := vs[0].Asset
	for _, t := range first.Tracks() {
		if t.Codec.Kind() != media.KindAudio {
			continue
		}
		codecs, err := codec.String(t)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "    <AdaptationSet id=\"%d\" contentType=\"audio\" mimeType=\"audio/mp4\" segmentAlignment=\"true\" startWithSAP=\"1\">\n", t.ID+1)
		fmt.Fprintf(&b, "      <Representation id=\"a%d\" codecs=\"%s\" bandwidth=\"%d\" audioSamplingRate=\"%d\">\n",
			t.ID, codecs, 128000, first.init.Timescales[t.ID])
		first.segmentTemplate(&b, t.ID, vs[0].Prefix, q, "        ")
		b.WriteString("      </Representation>\n    </AdaptationSet>\n")
	}
	first.textAdaptationSets(&b, vs[0].Prefix, query, len(first.Tracks())+1)
	b.WriteString("  </Period>\n</MPD>\n")
	return []byte(b.String()), nil
}
