package hls

import (
	"fmt"
	"strings"

	"streamhive/media"
	"streamhive/media/codec"
	"streamhive/media/segment"
)

// MasterOptions select a master playlist.
type MasterOptions struct {
	Format     Format
	LowLatency bool // point at the LL-HLS media playlists
	Names      Names
	// Tracks, when set, asks for a TS master of only these track IDs (a
	// viewer's track selection): one variant, the TS media playlist, its
	// bit rate counted from the tracks' CMAF bytes (the TS of a selection
	// is those, plus a few percent of packet headers). Format is ignored.
	Tracks []int
	// Images are the stream's image tracks (thumbnails), announced as
	// EXT-X-IMAGE-STREAM-INF; none: no line.
	Images []Image
}

// audioGroup is the GROUP-ID of the audio renditions in an FMP4 master.
const audioGroup = "audio"

// Master renders the master playlist (index.m3u8). TS: one variant with
// every track muxed, unless the stream has several video tracks (a
// transcoder's renditions): then the master lists the FMP4 variants, one
// per rendition, since a TS segment carries every rendition at once and a
// player could not switch between them. FMP4: one variant per video
// track, each referring to
// the audio tracks as an EXT-X-MEDIA group; an audio-only stream's variant
// is its first audio track. BANDWIDTH is the peak and AVERAGE-BANDWIDTH the
// mean bit rate of the window's segments of the current epoch.
func Master(w *segment.Window, o MasterOptions) ([]byte, error) {
	var segs []*segment.Segment
	for _, s := range w.Segments {
		if s.Init == w.Init {
			segs = append(segs, s)
		}
	}
	if p := w.Partial; len(segs) == 0 && o.LowLatency && p != nil && len(p.Parts) > 0 && p.Init == w.Init {
		segs = append(segs, p) // a low-latency viewer starts with the first part
	}
	if len(segs) == 0 {
		return nil, ErrNotReady
	}
	var b strings.Builder
	b.WriteString("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n")
	if o.Tracks != nil {
		return selectionMaster(&b, w, segs, o)
	}
	for _, im := range o.Images {
		ImageStream(&b, im)
	}
	if o.Format == TS && videoTracks(w.Tracks) > 1 {
		o.Format = FMP4
	}
	if o.Format == TS {
		if err := variant(&b, w.Tracks, segs, nil, "", o.Names.Playlist(TS, 0, o.LowLatency)); err != nil {
			return nil, err
		}
		return []byte(b.String()), nil
	}
	var video, audio []media.Track
	for _, t := range w.Tracks {
		if t.Codec.Kind() == media.KindVideo {
			video = append(video, t)
		} else {
			audio = append(audio, t)
		}
	}
	if len(video) == 0 { // audio only: the first audio track is the variant
		t := audio[0]
		if err := variant(&b, []media.Track{t}, segs, []int{t.ID}, "", o.Names.Playlist(FMP4, t.ID, o.LowLatency)); err != nil {
			return nil, err
		}
		return []byte(b.String()), nil
	}
	group := ""
	if len(audio) > 0 {
		group = audioGroup
		for i, t := range audio {
			def := "NO"
			if i == 0 {
				def = "YES"
			}
			fmt.Fprintf(&b, "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=%q,NAME=\"audio%d\",DEFAULT=%s,AUTOSELECT=YES,CHANNELS=\"%d\",URI=%q\n",
				audioGroup, t.ID, def, max(t.Channels, 1), o.Names.Playlist(FMP4, t.ID, o.LowLatency))
		}
	}
	for _, v := range video {
		tracks := append([]media.Track{v}, audio[:min(len(audio), 1)]...)
		ids := make([]int, len(tracks))
		for i, t := range tracks {
			ids[i] = t.ID
		}
		if err := variant(&b, tracks, segs, ids, group, o.Names.Playlist(FMP4, v.ID, o.LowLatency)); err != nil {
			return nil, err
		}
	}
	return []byte(b.String()), nil
}

// selectionMaster writes the one variant of MasterOptions.Tracks.
func selectionMaster(b *strings.Builder, w *segment.Window, segs []*segment.Segment, o MasterOptions) ([]byte, error) {
	tracks := make([]media.Track, 0, len(o.Tracks))
	for _, id := range o.Tracks {
		if id < 0 || id >= len(w.Tracks) {
			return nil, fmt.Errorf("%w: %d", ErrNoTrack, id)
		}
		tracks = append(tracks, w.Tracks[id])
	}
	if err := variant(b, tracks, segs, o.Tracks, "", o.Names.Playlist(TS, 0, o.LowLatency)); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// variant writes one EXT-X-STREAM-INF. ids are the CMAF tracks whose bytes
// count toward the bit rate; nil counts the TS bytes.
func variant(b *strings.Builder, tracks []media.Track, segs []*segment.Segment, ids []int, group, uri string) error {
	peak, avg := bitrates(segs, ids)
	return Variant(b, Stream{Tracks: tracks, Peak: peak, Average: avg, Audio: group, URI: uri})
}

// Stream is one variant of a master playlist: live (this package) and
// archive (gateway/play) masters write them alike.
type Stream struct {
	Tracks        []media.Track // CODECS, and RESOLUTION from the first video track
	Peak, Average int           // BANDWIDTH and AVERAGE-BANDWIDTH, bits per second
	Audio         string        // the AUDIO group; "" for none
	URI           string
}

// Variant writes v as an EXT-X-STREAM-INF line and its URI.
func Variant(b *strings.Builder, v Stream) error {
	codecs, err := codec.Join(v.Tracks)
	if err != nil {
		return err
	}
	fmt.Fprintf(b, "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,CODECS=%q", v.Peak, v.Average, codecs)
	for _, t := range v.Tracks {
		if t.Codec.Kind() == media.KindVideo && t.Width > 0 {
			fmt.Fprintf(b, ",RESOLUTION=%dx%d", t.Width, t.Height)
			break
		}
	}
	if v.Audio != "" {
		fmt.Fprintf(b, ",AUDIO=%q", v.Audio)
	}
	fmt.Fprintf(b, "\n%s\n", v.URI)
	return nil
}

// bitrates returns the peak and mean bits per second over segs.
func bitrates(segs []*segment.Segment, ids []int) (peak, avg int) {
	var bytes int
	var secs float64
	for _, s := range segs {
		// The segment in progress has no CMAF of its own: its parts' sum.
		// (TSLen sums them already.)
		n := size(s.TSLen(), s.CMAF, ids)
		if s.CMAF == nil && ids != nil {
			for _, p := range s.Parts {
				n += size(0, p.CMAF, ids)
			}
		}
		d := s.Duration.Seconds()
		if d > 0 {
			peak = max(peak, int(float64(n*8)/d))
		}
		bytes += n
		secs += d
	}
	if secs > 0 {
		avg = int(float64(bytes*8) / secs)
	}
	return peak, avg
}

// size is the length of a segment's or part's TS, or with ids the total of
// those tracks' CMAF fragments.
func size(ts int, cmaf [][]byte, ids []int) int {
	if ids == nil {
		return ts
	}
	n := 0
	for _, id := range ids {
		if id < len(cmaf) {
			n += len(cmaf[id])
		}
	}
	return n
}

// videoTracks counts the video tracks of a track list.
func videoTracks(tracks []media.Track) int {
	n := 0
	for _, t := range tracks {
		if t.Codec.Kind() == media.KindVideo {
			n++
		}
	}
	return n
}
