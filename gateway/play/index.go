package play

import (
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/api"
	"streamhive/gateway/live"
	"streamhive/media"
	"streamhive/media/hls"
	"streamhive/media/segment"
	"streamhive/media/stats"
)

// index.json is streaming.yaml's abstract manifest of a live stream: the
// window's segments grouped into periods of continuous playback (a new
// period at each change of codec parameters or timestamp jump), each with
// its media_info, every segment by its first frame's wall-clock DTS. A
// segment is fetched at /NAME/live-DTS.ts (segment_prefix "live").

// abstractManifest is index.json's body.
type abstractManifest struct {
	Mutability    string           `json:"mutability"`
	SegmentPrefix string           `json:"segment_prefix"`
	Periods       []abstractPeriod `json:"periods"`
}

type abstractPeriod struct {
	DTS       int64             `json:"dts"`      // UTC ms
	Duration  int64             `json:"duration"` // ms
	MediaInfo api.MediaInfo     `json:"media_info"`
	Segments  []abstractSegment `json:"segments"`
}

type abstractSegment struct {
	DTS      int64 `json:"dts"`      // UTC ms
	Duration int64 `json:"duration"` // ms
}

// livePrefix is index.json's segment_prefix for live segments.
const livePrefix = "live"

// serveIndexJSON answers index.json from the current window; 503 while
// the stream has no segment.
func (h *Handler) serveIndexJSON(rc *fasthttp.RequestCtx, st live.Stream, name string) {
	w := st.Window()
	if w == nil || len(w.Segments) == 0 {
		writeNotReady(rc, "stream "+strconv.Quote(name)+" has no segment yet")
		return
	}
	var current []stats.Track
	if s, ok := st.Stats(); ok {
		current = s.Tracks
	}
	writeJSON(rc, abstractManifestOf(w, current))
}

// abstractManifestOf groups w's segments into periods. current are the
// stream's measured tracks, used (bit rates and frame rates included) for
// the period of the current codec parameters when they match it.
func abstractManifestOf(w *segment.Window, current []stats.Track) abstractManifest {
	m := abstractManifest{Mutability: "live", SegmentPrefix: livePrefix, Periods: []abstractPeriod{}}
	var p *abstractPeriod
	var init *segment.Init
	for _, s := range w.Segments {
		if p == nil || s.Init != init || s.Discontinuity {
			init = s.Init
			m.Periods = append(m.Periods, abstractPeriod{DTS: s.ProgramDateTime.UnixMilli(), MediaInfo: periodInfo(init, w.Init, current)})
			p = &m.Periods[len(m.Periods)-1]
		}
		d := s.Duration.Milliseconds()
		p.Segments = append(p.Segments, abstractSegment{DTS: s.ProgramDateTime.UnixMilli(), Duration: d})
		p.Duration += d
	}
	return m
}

// periodInfo is a period's media_info: the measured tracks for the
// current codec parameters, else what the init segments say.
func periodInfo(init, cur *segment.Init, current []stats.Track) api.MediaInfo {
	if init == nil {
		return api.MediaInfoOf(nil)
	}
	if init == cur && len(current) == len(init.Tracks) {
		return api.MediaInfoOf(current)
	}
	tracks := make([]stats.Track, len(init.Tracks))
	for i, t := range init.Tracks {
		tracks[i] = stats.Track{Codec: t.Codec}
		if t.Codec.Kind() == media.KindVideo {
			tracks[i].Width, tracks[i].Height = t.Width, t.Height
		} else {
			tracks[i].SampleRate, tracks[i].Channels = t.SampleRate, t.Channels
		}
	}
	return api.MediaInfoOf(tracks)
}

// parseLiveDTS reads index.json's segment names: live-DTS.ts, DTS being
// the segment's first frame in UTC milliseconds (at most 15 digits, no
// sign, no leading zero).
func parseLiveDTS(file string) (int64, bool) {
	rest, ok := strings.CutPrefix(file, livePrefix+"-")
	if !ok {
		return 0, false
	}
	digits, ok := strings.CutSuffix(rest, ".ts")
	if !ok || len(digits) == 0 || len(digits) > 15 || digits[0] == '0' || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	return n, err == nil
}

// serveLiveDTS answers live-DTS.ts: the window's segment that starts at
// DTS, as MPEG-TS; 404 when none does (it left the window, or never was).
func (h *Handler) serveLiveDTS(rc *fasthttp.RequestCtx, st live.Stream, r route) {
	if w := st.Window(); w != nil {
		for _, s := range w.Segments {
			if s.ProgramDateTime.UnixMilli() == r.dts {
				r.kind, r.format, r.ref = kindSegment, hls.TS, hls.Ref{Format: hls.TS, MSN: s.MSN, Part: -1}
				h.serveSegment(rc, st, r)
				return
			}
		}
	}
	writeError(rc, fasthttp.StatusNotFound, codeNotFound, "no segment at "+time.UnixMilli(r.dts).UTC().Format(time.RFC3339Nano))
}
