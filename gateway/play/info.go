package play

import (
	"encoding/json"
	"strconv"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/api"
	"streamhive/gateway/live"
)

// The stream's JSON descriptions at Flussonic's playback URLs (the API
// tag of streaming.yaml):
//
//	media_info.json   media_info: flow_type and the tracks, as the Control
//	                  API's stats.media_info names them (ids v1, a1...)
//	info.json         public_stream_config: the name and the public stats
//	                  (status, last_dts_at, media_info)

const typeJSON = "application/json"

// flowStream is media_info's flow_type of a live stream.
const flowStream = "stream"

// mediaInfo is media_info.json's body.
type mediaInfo struct {
	FlowType string `json:"flow_type"`
	api.MediaInfo
}

// publicStream is info.json's body.
type publicStream struct {
	Name  string       `json:"name"`
	Stats *publicStats `json:"stats,omitempty"`
}

// publicStats is public_stream_stats, the part of stream_stats anyone
// who may play the stream may see.
type publicStats struct {
	Status    string         `json:"status,omitempty"`
	LastDTSAt int64          `json:"last_dts_at,omitempty"` // Unix ms
	MediaInfo *api.MediaInfo `json:"media_info,omitempty"`
}

// serveMediaInfo answers media_info.json: 503 while the stream has
// published no tracks yet.
func (h *Handler) serveMediaInfo(rc *fasthttp.RequestCtx, st live.Stream, name string) {
	s, ok := st.Stats()
	if !ok || len(s.Tracks) == 0 {
		writeNotReady(rc, "stream "+strconv.Quote(name)+" has no tracks yet")
		return
	}
	writeJSON(rc, mediaInfo{FlowType: flowStream, MediaInfo: api.MediaInfoOf(s.Tracks)})
}

// serveInfo answers info.json: the name alone while the stream has
// published no status.
func (h *Handler) serveInfo(rc *fasthttp.RequestCtx, st live.Stream, name string) {
	out := publicStream{Name: name}
	if s, ok := st.Stats(); ok {
		out.Stats = &publicStats{Status: s.State}
		if !s.LastFrame.IsZero() {
			out.Stats.LastDTSAt = s.LastFrame.UnixMilli()
		}
		if len(s.Tracks) > 0 {
			mi := api.MediaInfoOf(s.Tracks)
			out.Stats.MediaInfo = &mi
		}
	}
	writeJSON(rc, out)
}

func writeJSON(rc *fasthttp.RequestCtx, v any) {
	b, err := json.Marshal(v)
	if err != nil { // plain structs of strings and numbers: cannot fail
		writeError(rc, fasthttp.StatusInternalServerError, codeInternal, "internal error")
		return
	}
	writeBody(rc, typeJSON, cacheNone, b)
}
