package play

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media"
	"streamhive/media/dvr"
	"streamhive/media/hls"
)

// pdtLayout is EXT-X-PROGRAM-DATE-TIME's ISO 8601 form, in milliseconds.
const pdtLayout = "2006-01-02T15:04:05.000Z07:00"

// archiveAudioGroup is the GROUP-ID of an fMP4 archive master's audio.
const archiveAudioGroup = "audio"

// serveArchiveMaster answers an archive master playlist: one TS variant
// (mono-WIN.m3u8), or the fMP4 variants and audio renditions
// (track-T-WIN.m3u8), as the live masters do. A sliding window's media
// playlists carry the anchor that numbers their segments (?a=MS).
func (h *Handler) serveArchiveMaster(rc *fasthttp.RequestCtx, a dvr.Archive, r route, g grant) {
	now := time.Now()
	w := r.arc.win
	p, err := place(a, w, time.Time{}, now)
	if err != nil {
		h.archiveFailed(rc, r.name, err)
		return
	}
	if w.mode == winAbs {
		end, _ := edge(a)
		w = relOf(w, end)
	}
	query := ""
	if p.typ == typeLive {
		query = "?a=" + strconv.FormatInt(p.anchor.UnixMilli(), 10)
	}
	in, err := a.Init(p.recs[len(p.recs)-1])
	if err != nil {
		h.archiveFailed(rc, r.name, err)
		return
	}
	b, err := renderArchiveMaster(p.recs, in.Tracks, r.arc.format, w.spec(), query)
	if err != nil {
		h.internal(rc, r.name, err)
		return
	}
	writeBody(rc, typeM3U8, cacheNone, withQuery(b, g.m3u8()))
}

// renderArchiveMaster renders the master of a window whose newest epoch
// has tracks.
func renderArchiveMaster(recs []dvr.Record, tracks []media.Track, f hls.Format, spec, query string) ([]byte, error) {
	var b strings.Builder
	b.WriteString("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n")
	peak, avg := recordRates(recs)
	if f == hls.TS {
		err := archiveVariant(&b, tracks, peak, avg, "", "mono-"+spec+".m3u8"+query)
		return []byte(b.String()), err
	}
	var video, audio []media.Track
	for _, t := range tracks {
		if t.Codec.Kind() == media.KindVideo {
			video = append(video, t)
		} else {
			audio = append(audio, t)
		}
	}
	name := func(t media.Track) string { return "track-" + strconv.Itoa(t.ID) + "-" + spec + ".m3u8" + query }
	if len(video) == 0 {
		err := archiveVariant(&b, audio[:1], peak, avg, "", name(audio[0]))
		return []byte(b.String()), err
	}
	group := ""
	for i, t := range audio {
		group = archiveAudioGroup
		def := "NO"
		if i == 0 {
			def = "YES"
		}
		fmt.Fprintf(&b, "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=%q,NAME=\"audio%d\",DEFAULT=%s,AUTOSELECT=YES,CHANNELS=\"%d\",URI=%q\n",
			archiveAudioGroup, t.ID, def, max(t.Channels, 1), name(t))
	}
	for _, v := range video {
		if err := archiveVariant(&b, append([]media.Track{v}, audio[:min(len(audio), 1)]...), peak, avg, group, name(v)); err != nil {
			return nil, err
		}
	}
	return []byte(b.String()), nil
}

// archiveVariant writes one EXT-X-STREAM-INF, as the live master does.
func archiveVariant(b *strings.Builder, tracks []media.Track, peak, avg int, group, uri string) error {
	return hls.Variant(b, hls.Stream{Tracks: tracks, Peak: peak, Average: avg, Audio: group, URI: uri})
}

// recordRates returns the peak and mean bits per second of recs by their
// stored size: an upper bound of any one variant's, as BANDWIDTH must be.
func recordRates(recs []dvr.Record) (peak, avg int) {
	var bytes int64
	var d time.Duration
	for _, r := range recs {
		if s := r.Duration.Seconds(); s > 0 {
			peak = max(peak, int(float64(r.Size*8)/s))
		}
		bytes += r.Size
		d += r.Duration
	}
	if d > 0 {
		avg = int(float64(bytes*8) / d.Seconds())
	}
	return max(peak, 1), max(avg, 1)
}

// serveArchiveMedia answers an archive media playlist.
func (h *Handler) serveArchiveMedia(rc *fasthttp.RequestCtx, a dvr.Archive, r route, g grant) {
	var anchor time.Time
	if ms, err := atoi64Canon(string(rc.QueryArgs().Peek("a"))); err == nil {
		anchor = time.UnixMilli(ms)
	}
	p, err := place(a, r.arc.win, anchor, time.Now())
	if err != nil {
		h.archiveFailed(rc, r.name, err)
		return
	}
	b, err := renderArchiveMedia(a, p, r.arc.format, r.arc.track)
	if err != nil {
		h.archiveFailed(rc, r.name, err)
		return
	}
	if prot, ok := h.protection(r.name); ok {
		if b, err = protectArchivePlaylist(b, r.arc.format, prot); err != nil {
			h.sealFailed(rc, r.name, err)
			return
		}
	}
	writeBody(rc, typeM3U8, cacheNone, withQuery(b, g.m3u8()))
}

// renderArchiveMedia renders the media playlist of a placed window: TS,
// or fMP4 of one track. A gap in the recording is an EXT-X-DISCONTINUITY;
// an epoch change also a new EXT-X-MAP. fMP4 records whose epoch lacks
// the track are left out (the next one listed is a discontinuity).
func renderArchiveMedia(a dvr.Archive, p placed, f hls.Format, track int) ([]byte, error) {
	recs, err := trackRecords(a, p.recs, f, track)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	version, target := 3, 1
	if f == hls.FMP4 {
		version = 7
	}
	for _, r := range recs {
		target = max(target, int(math.Round(trackDuration(r.rec, f, track).Seconds())))
	}
	fmt.Fprintf(&b, "#EXTM3U\n#EXT-X-VERSION:%d\n#EXT-X-TARGETDURATION:%d\n#EXT-X-MEDIA-SEQUENCE:%d\n", version, target, p.seq)
	if p.disc > 0 {
		fmt.Fprintf(&b, "#EXT-X-DISCONTINUITY-SEQUENCE:%d\n", p.disc)
	}
	switch p.typ {
	case typeVOD:
		b.WriteString("#EXT-X-PLAYLIST-TYPE:VOD\n")
	case typeEvent:
		b.WriteString("#EXT-X-PLAYLIST-TYPE:EVENT\n")
	case typeLive: // a sliding window names no playlist type
	}
	b.WriteString("#EXT-X-INDEPENDENT-SEGMENTS\n")
	epoch := -1
	for i, r := range recs {
		if i > 0 && r.disc {
			b.WriteString("#EXT-X-DISCONTINUITY\n")
		}
		ms := r.rec.Start.UnixMilli()
		if f == hls.FMP4 && r.rec.Epoch != epoch {
			epoch = r.rec.Epoch
			fmt.Fprintf(&b, "#EXT-X-MAP:URI=\"dvr-init-%d.t%d.mp4\"\n", ms, track)
		}
		fmt.Fprintf(&b, "#EXT-X-PROGRAM-DATE-TIME:%s\n#EXTINF:%.3f,\n", r.rec.Start.UTC().Format(pdtLayout), trackDuration(r.rec, f, track).Seconds())
		if f == hls.TS {
			fmt.Fprintf(&b, "dvr-%d.ts\n", ms)
		} else {
			fmt.Fprintf(&b, "dvr-%d.t%d.m4s\n", ms, track)
		}
	}
	if p.typ == typeVOD {
		b.WriteString("#EXT-X-ENDLIST\n")
	}
	return []byte(b.String()), nil
}

// listed is a record as a playlist lists it.
type listed struct {
	rec  dvr.Record
	disc bool // a discontinuity precedes it
}

// trackRecords returns the records of recs that carry track (all of them
// for TS).
func trackRecords(a dvr.Archive, recs []dvr.Record, f hls.Format, track int) ([]listed, error) {
	inits := map[int]*dvr.Init{}
	out := make([]listed, 0, len(recs))
	skipped := false
	for _, r := range recs {
		if f == hls.FMP4 {
			in, ok := inits[r.Epoch]
			if !ok {
				var err error
				if in, err = a.Init(r); err != nil {
					return nil, err
				}
				inits[r.Epoch] = in
			}
			if track >= len(in.Tracks) {
				skipped = true
				continue
			}
		}
		out = append(out, listed{rec: r, disc: r.Gap || skipped})
		skipped = false
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: %d", errNoTrackHere, track)
	}
	return out, nil
}

// trackDuration is a record's duration in a playlist: the leading track's
// for TS, the track's own for fMP4 (audio fragments are not cut exactly
// where video ones are).
func trackDuration(r dvr.Record, f hls.Format, track int) time.Duration {
	if f == hls.FMP4 && track < len(r.Spans) && r.Spans[track].Samples > 0 {
		return r.Spans[track].Duration()
	}
	return r.Duration
}
