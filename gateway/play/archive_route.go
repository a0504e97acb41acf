package play

import (
	"strconv"
	"strings"

	"streamhive/media/hls"
)

// Archive (DVR) file names, the last path element of /NAME/FILE. Flussonic's
// URLs, plus the playlist and segment names this package gives its own
// archive playlists (hls.DefaultNames' scheme with a window or a record):
//
//	index-FROM-DUR.m3u8, archive-FROM-DUR.m3u8   master playlist, TS (FROM: Unix
//	                        seconds; DUR: seconds, or "now" for an EVENT playlist)
//	timeshift_abs-FROM.m3u8 master of a live playlist delayed to start at FROM
//	timeshift_rel-S.m3u8    master of a live playlist S seconds behind the archive's edge
//	rewind-N.m3u8           master of a live playlist with an N-second window
//	*.fmp4.m3u8             any master above, fMP4 (video variant, audio as EXT-X-MEDIA)
//	mono-WIN.m3u8           TS media playlist of window WIN (FROM-DUR, FROM-now,
//	                        timeshift_rel-S, rewind-N)
//	track-T-WIN.m3u8        fMP4 media playlist of track T
//	dvr-MS.ts, dvr-MS.tT.m4s, dvr-init-MS.tT.mp4   the record starting at Unix
//	                        millisecond MS: TS, CMAF of track T, init of its epoch
//	dvr-dash-init-MS.tT.mp4 the init of dvr-init-MS.tT.mp4 by the name archive MPDs
//	                        list (a DASH player's request: see dashPrefix)
//	dvr-P-TIME.tT.m4s       DASH $Time$ form: track T's fragment whose decode time is
//	                        TIME, in the period that starts with the record at P
//	index-FROM-DUR.mpd, archive-FROM-DUR.mpd, rewind-N.mpd   DASH manifests
//	timeshift_abs-FROM.mpd  dynamic MPD delayed to start at FROM; its Location
//	                        names the timeshift_rel-S.mpd it becomes
//	archive-FROM-DUR.ts     the range as one MPEG-TS file
//	timeshift_abs-FROM.ts, timeshift_rel-S.ts   continuous MPEG-TS from the
//	                        archive, from FROM (S seconds ago) on, in real time
//	archive-FROM-DUR.mp4    the range as an MP4 download
//	FROM.jpg, FROM-preview.jpg   the archived keyframe at or after FROM
//	FROM-preview.mp4        that keyframe as a small fMP4 (archive_preview_mp4.go);
//	                        preview-HH-MM-SS.mp4 is Flussonic's VOD file form: no VOD here
//	recording_status.json   the archive's ranges (Flussonic's dvr_info)

// archiveKind is what an archive request asks for.
type archiveKind int

const (
	arcMaster     archiveKind = iota // a master playlist
	arcMedia                         // a media playlist
	arcSegment                       // dvr-MS.ts / dvr-MS.tT.m4s
	arcInit                          // dvr-init-MS.tT.mp4
	arcDASHSeg                       // dvr-P-TIME.tT.m4s
	arcMPD                           // a DASH manifest
	arcTS                            // archive-FROM-DUR.ts
	arcMP4                           // archive-FROM-DUR.mp4
	arcJPEG                          // FROM.jpg
	arcStatus                        // recording_status.json
	arcLiveTS                        // timeshift_abs-FROM.ts, timeshift_rel-S.ts
	arcPreviewMP4                    // FROM-preview.mp4
)

// windowMode is how a playlist's window is placed in the archive.
type windowMode int

const (
	winRange  windowMode = iota // [from, from+dur): a VOD playlist
	winEvent                    // [from, now): an EVENT playlist that grows
	winAbs                      // timeshift_abs-FROM: a live playlist from FROM on
	winRel                      // timeshift_rel-S: live, S seconds behind the edge
	winRewind                   // rewind-N: live, the last N seconds
)

// window is a playlist's window as its URL gives it (seconds).
type window struct {
	mode windowMode
	from int64 // winRange, winEvent, winAbs: Unix seconds
	secs int64 // winRange: duration; winRel: delay; winRewind: depth
}

// archiveRoute is a parsed archive file name. It is comparable.
type archiveRoute struct {
	kind   archiveKind
	win    window
	format hls.Format
	track  int
	ms     int64  // segments, inits: the record's start; DASH: the period's
	time   uint64 // DASH: the fragment's decode time
	dash   bool   // arcInit by its DASH name
}

// maxSeconds bounds FROM, DUR and the other second counts: far beyond any
// real archive (year 5138), small enough that times never overflow.
const maxSeconds = 1 << 37

// parseArchive parses an archive file name; false when file is none.
func parseArchive(file string) (archiveRoute, bool) {
	if file == "recording_status.json" {
		return archiveRoute{kind: arcStatus}, true
	}
	if base, ok := strings.CutSuffix(file, ".m3u8"); ok {
		return parseArchivePlaylist(base)
	}
	if base, ok := strings.CutSuffix(file, ".mpd"); ok {
		w, ok := parseMaster(base)
		return archiveRoute{kind: arcMPD, win: w}, ok
	}
	if base, ok := strings.CutPrefix(file, "dvr-"); ok {
		return parseArchiveSegment(base)
	}
	if base, ok := strings.CutSuffix(file, ".ts"); ok {
		if w, ok := parseWindow(base); ok && (w.mode == winAbs || w.mode == winRel) {
			return archiveRoute{kind: arcLiveTS, win: w}, true
		}
	}
	if base, ok := strings.CutSuffix(file, "-preview.mp4"); ok {
		from, ok := seconds(base)
		return archiveRoute{kind: arcPreviewMP4, win: window{from: from}}, ok
	}
	for _, ext := range []struct {
		suffix string
		kind   archiveKind
	}{{".ts", arcTS}, {".mp4", arcMP4}} {
		if base, ok := strings.CutSuffix(file, ext.suffix); ok {
			rest, ok := strings.CutPrefix(base, "archive-")
			w, ok2 := parseWindow(rest)
			return archiveRoute{kind: ext.kind, win: w}, ok && ok2 && w.mode == winRange
		}
	}
	if base, ok := strings.CutSuffix(file, ".jpg"); ok {
		base = strings.TrimSuffix(base, "-preview")
		from, ok := seconds(base)
		return archiveRoute{kind: arcJPEG, win: window{from: from}}, ok
	}
	return archiveRoute{}, false
}

// parseArchivePlaylist parses a playlist name without its .m3u8.
func parseArchivePlaylist(base string) (archiveRoute, bool) {
	if rest, ok := strings.CutPrefix(base, "mono-"); ok {
		w, ok := parseWindow(rest)
		return archiveRoute{kind: arcMedia, win: w, format: hls.TS}, ok && w.mode != winAbs
	}
	if rest, ok := strings.CutPrefix(base, "track-"); ok {
		t, rest, ok := strings.Cut(rest, "-")
		n, err := atoiCanon(t)
		w, ok2 := parseWindow(rest)
		return archiveRoute{kind: arcMedia, win: w, format: hls.FMP4, track: n}, ok && err == nil && ok2 && w.mode != winAbs
	}
	r := archiveRoute{kind: arcMaster, format: hls.TS}
	if b, ok := strings.CutSuffix(base, ".fmp4"); ok {
		base, r.format = b, hls.FMP4
	}
	w, ok := parseMaster(base)
	r.win = w
	return r, ok
}

// parseMaster parses the window of a master playlist or manifest name:
// index-WIN, archive-WIN, timeshift_abs-FROM, timeshift_rel-S or rewind-N.
func parseMaster(base string) (window, bool) {
	for _, p := range []string{"index-", "archive-"} {
		if rest, ok := strings.CutPrefix(base, p); ok {
			w, ok := parseWindow(rest)
			return w, ok && (w.mode == winRange || w.mode == winEvent)
		}
	}
	w, ok := parseWindow(base)
	return w, ok && w.mode != winRange && w.mode != winEvent
}

// parseWindow parses FROM-DUR, FROM-now, timeshift_abs-FROM,
// timeshift_rel-S or rewind-N.
func parseWindow(s string) (window, bool) {
	for _, f := range []struct {
		prefix string
		mode   windowMode
	}{{"timeshift_abs-", winAbs}, {"timeshift_rel-", winRel}, {"rewind-", winRewind}} {
		if rest, ok := strings.CutPrefix(s, f.prefix); ok {
			n, ok := seconds(rest)
			w := window{mode: f.mode, secs: n}
			if f.mode == winAbs {
				w = window{mode: winAbs, from: n}
			}
			return w, ok && (f.mode == winAbs || n > 0)
		}
	}
	from, dur, ok := strings.Cut(s, "-")
	f, ok2 := seconds(from)
	if !ok || !ok2 {
		return window{}, false
	}
	if dur == "now" {
		return window{mode: winEvent, from: f}, true
	}
	d, ok := seconds(dur)
	return window{mode: winRange, from: f, secs: d}, ok && d > 0
}

// spec renders w as parseWindow reads it (the media playlists' names).
func (w window) spec() string {
	switch w.mode {
	case winEvent:
		return strconv.FormatInt(w.from, 10) + "-now"
	case winAbs:
		return "timeshift_abs-" + strconv.FormatInt(w.from, 10)
	case winRel:
		return "timeshift_rel-" + strconv.FormatInt(w.secs, 10)
	case winRewind:
		return "rewind-" + strconv.FormatInt(w.secs, 10)
	default:
		return strconv.FormatInt(w.from, 10) + "-" + strconv.FormatInt(w.secs, 10)
	}
}

// parseArchiveSegment parses what follows "dvr-": MS.ts, MS.tT.m4s,
// init-MS.tT.mp4 or P-TIME.tT.m4s.
func parseArchiveSegment(s string) (archiveRoute, bool) {
	if ms, ok := strings.CutSuffix(s, ".ts"); ok {
		n, err := atoi64Canon(ms)
		return archiveRoute{kind: arcSegment, format: hls.TS, ms: n}, err == nil
	}
	r := archiveRoute{format: hls.FMP4}
	var ext string
	switch {
	case strings.HasSuffix(s, ".m4s"):
		ext, r.kind = ".m4s", arcSegment
	case strings.HasSuffix(s, ".mp4"):
		ext, r.kind = ".mp4", arcInit
	default:
		return archiveRoute{}, false
	}
	s = strings.TrimSuffix(s, ext)
	i := strings.LastIndex(s, ".t")
	if i < 0 {
		return archiveRoute{}, false
	}
	t, err := atoiCanon(s[i+2:])
	if err != nil {
		return archiveRoute{}, false
	}
	r.track, s = t, s[:i]
	if r.kind == arcInit {
		s, r.dash = strings.CutPrefix(s, dashPrefix)
		rest, ok := strings.CutPrefix(s, "init-")
		n, err := atoi64Canon(rest)
		r.ms = n
		return r, ok && err == nil
	}
	p, tm, dash := strings.Cut(s, "-")
	n, err := atoi64Canon(p)
	if err != nil {
		return archiveRoute{}, false
	}
	r.ms = n
	if !dash {
		return r, true
	}
	v, err := strconv.ParseUint(tm, 10, 64)
	if err != nil || tm != strconv.FormatUint(v, 10) {
		return archiveRoute{}, false
	}
	r.kind, r.time = arcDASHSeg, v
	return r, true
}

// seconds parses a canonical second count in [0, maxSeconds).
func seconds(s string) (int64, bool) {
	n, err := atoi64Canon(s)
	return n, err == nil && n < maxSeconds
}

// atoi64Canon parses a canonical non-negative decimal int64.
//
// Every playback path is tried as an archive name first, so the digits
// are checked before parsing: a name that is not one costs no strconv
// error (an allocation per request).
func atoi64Canon(s string) (int64, error) {
	if s == "" || (len(s) > 1 && s[0] == '0') {
		return 0, errNoRoute
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return 0, errNoRoute
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, errNoRoute
	}
	return n, nil
}

// atoiCanon parses a canonical non-negative decimal int.
func atoiCanon(s string) (int, error) {
	n, err := atoi64Canon(s)
	if err != nil || n > 1<<20 {
		return 0, errNoRoute
	}
	return int(n), nil
}

// protocol returns the `protocols` names that switch the output (as
// route.protocol).
func (a archiveRoute) protocol() (string, string) {
	switch a.kind {
	case arcMaster, arcMedia:
		return ProtoHLS, ""
	case arcSegment, arcInit:
		if a.dash {
			return ProtoDASH, ""
		}
		if a.format == hls.FMP4 {
			return ProtoHLS, ProtoDASH
		}
		return ProtoHLS, ""
	case arcDASHSeg, arcMPD:
		return ProtoDASH, ""
	case arcTS, arcLiveTS:
		return ProtoTSHTTP, ""
	case arcMP4, arcPreviewMP4:
		return protoMP4, ""
	case arcJPEG:
		return ProtoJPEG, ""
	default:
		return protoAPI, ""
	}
}

// Output names of the archive that the live outputs lack (play_protocols_spec).
const (
	protoMP4 = "mp4" // MP4 download
	protoAPI = "api" // recording_status.json
)
