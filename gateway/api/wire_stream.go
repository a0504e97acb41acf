package api

import (
	"streamhive/actors/config"
	"streamhive/media"
	"streamhive/media/stats"
)

// The Control API's runtime JSON: what the actors report (media/stats, in
// Go's units) as stream_stats and its parts name it, in the API's units.
// These types and their mapping functions are the one place that knows
// the wire form; filters, sorts and select read them by their JSON names.

// StreamStats is the read-only runtime part of a stream (stream_stats)
// that the API returns. Field names follow stream_stats_base.
type StreamStats struct {
	Alive       bool       `json:"alive"`
	Status      string     `json:"status,omitempty"` // running, waiting, error
	Lifetime    int64      `json:"lifetime"`         // milliseconds since the stream actor started
	OpenedAt    int64      `json:"opened_at,omitempty"`
	Bitrate     int        `json:"bitrate,omitempty"`      // kbit/s
	LastDTSAgo  *int64     `json:"last_dts_ago,omitempty"` // ms since the last frame arrived
	TSDelay     *int64     `json:"ts_delay,omitempty"`     // stream_stats' name for it (ms)
	LastDTSAt   int64      `json:"last_dts_at,omitempty"`  // utc_ms of the last frame
	InputBytes  int64      `json:"input_bytes,omitempty"`
	MediaInfo   *MediaInfo `json:"media_info,omitempty"`
	ActiveInput *int       `json:"active_input,omitempty"`
	// InputSwitches counts failovers and returns between inputs;
	// LastSwitchReason says why the active input last changed (ours; the
	// Flussonic API has no counterpart).
	InputSwitches    int          `json:"input_switches,omitempty"`
	LastSwitchReason string       `json:"last_switch_reason,omitempty"`
	Inputs           []InputStats `json:"inputs,omitempty"`
	// Pushes parallels the stream's pushes (nil for a disabled one). The
	// API shows each as pushes[i].stats, not inside stats (wire_push.go).
	Pushes []*PushStats `json:"-"`

	// RunningTranscoder, TranscoderOverloaded and CoderError are
	// stream_stats_base's: a transcoder is configured and running, it
	// works slower than real time, it has failed.
	RunningTranscoder    bool `json:"running_transcoder,omitempty"`
	TranscoderOverloaded bool `json:"transcoder_overloaded,omitempty"`
	CoderError           bool `json:"coder_error,omitempty"`
	// Transcoder holds the transcoder's counters; nil for a stream
	// without one (wire_transcoder.go).
	Transcoder *TranscoderStats `json:"transcoder,omitempty"`
	// DVREnabled and DVRInfo describe the stream's archive
	// (wire_dvr.go); both unset for a stream that records nothing.
	DVREnabled bool     `json:"dvr_enabled,omitempty"`
	DVRInfo    *DVRInfo `json:"dvr_info,omitempty"`

	// DRMError is a protected stream's key server failure (ours:
	// stream_stats has no DRM field; server_stats' text_alerts carries it
	// too). DRMRefusing says the outputs refuse for want of a key; without
	// it the held key of the current period still protects them.
	DRMError    string `json:"drm_error,omitempty"`
	DRMRefusing bool   `json:"drm_refusing,omitempty"`

	// OnlineClients is how many viewer sessions the stream has open.
	OnlineClients int `json:"online_clients"`

	// Packaging counts the frames between the stream's hub and its
	// segments, and those the server lost there (ours: stream_stats has
	// no counterpart); nil before the stream has packaged a frame.
	Packaging *PackagingStats `json:"packaging,omitempty"`
}

// PackagingStats is stats.Packaging on the wire: frames written into
// segments, and frames lost to the packager's full queue, dropped by the
// segmenter or rejected by its muxers. Frames before a stream's first
// keyframe are among the lost ones (nothing is segmented before one).
type PackagingStats struct {
	Frames           int64 `json:"frames"`
	QueueOverflowed  int64 `json:"queue_overflowed"`
	SegmenterDropped int64 `json:"segmenter_dropped"`
	MuxErrors        int64 `json:"mux_errors"`
}

// MediaInfo is media_info: the tracks a stream carries.
type MediaInfo struct {
	Tracks []TrackInfo `json:"tracks,omitempty"`
}

// TrackInfo is one track of media_info.
type TrackInfo struct {
	TrackID    string  `json:"track_id,omitempty"`
	Content    string  `json:"content"` // video, audio
	Codec      string  `json:"codec"`
	Width      int     `json:"width,omitempty"`
	Height     int     `json:"height,omitempty"`
	FPS        float64 `json:"fps,omitempty"`
	SampleRate int     `json:"sample_rate,omitempty"`
	Channels   int     `json:"channels,omitempty"`
	Bitrate    int     `json:"bitrate,omitempty"` // kbit/s
}

// streamStatsOf maps a stream's report to stream_stats; nil for nil.
func streamStatsOf(st *stats.Stream) *StreamStats {
	if st == nil {
		return nil
	}
	// One allocation for the stats and the values they point to: a list
	// maps the stats of every stream it filters or shows.
	blk := new(struct {
		out    StreamStats
		media  MediaInfo
		ago    int64
		active int
		pack   PackagingStats
	})
	out := &blk.out
	*out = StreamStats{
		Alive:            st.Alive,
		Status:           st.State,
		Lifetime:         st.Lifetime.Milliseconds(),
		Bitrate:          kbits(st.Bitrate),
		InputSwitches:    st.Switches,
		LastSwitchReason: st.SwitchReason,
		Pushes:           pushStatsOf(st.Pushes),
		DVRInfo:          dvrInfoOf(st.DVR),
		DVREnabled:       st.DVR != nil,
		OnlineClients:    st.Clients,
	}
	if !st.Started.IsZero() {
		out.OpenedAt = st.Started.UnixMilli()
	}
	if !st.LastFrame.IsZero() {
		blk.ago = max(st.LastFrameAgo.Milliseconds(), 0)
		out.LastDTSAgo = &blk.ago
		out.TSDelay = &blk.ago // the spec's name for the same quantity
		out.LastDTSAt = st.LastFrame.UnixMilli()
	}
	if len(st.Tracks) > 0 {
		blk.media.Tracks = trackInfos(st.Tracks)
		out.MediaInfo = &blk.media
	}
	if st.Alive {
		blk.active = st.Active
		out.ActiveInput = &blk.active
	}
	if p := st.Packaging; p != (stats.Packaging{}) {
		blk.pack = PackagingStats{Frames: p.Frames, QueueOverflowed: p.Overflowed, SegmenterDropped: p.Dropped, MuxErrors: p.Errors}
		out.Packaging = &blk.pack
	}
	addTranscoder(out, st.Transcoder)
	if st.DRM != nil {
		out.DRMError, out.DRMRefusing = st.DRM.Error, !st.DRM.Serving
	}
	if len(st.Inputs) > 0 {
		out.Inputs = make([]InputStats, len(st.Inputs))
	}
	for i := range st.Inputs {
		out.Inputs[i] = inputStatsOf(&st.Inputs[i], st.Alive && i == st.Active)
		out.InputBytes += st.Inputs[i].Bytes
	}
	return out
}

// MediaInfoOf is the media_info of a stream carrying tracks (the
// playback URLs' media_info.json and info.json show it too).
func MediaInfoOf(tracks []stats.Track) MediaInfo {
	return MediaInfo{Tracks: trackInfos(tracks)}
}

// trackInfos describes tracks as media_info does. Track ids follow
// Flussonic's: v1, v2... and a1, a2... in track order.
func trackInfos(tracks []stats.Track) []TrackInfo {
	out := make([]TrackInfo, len(tracks))
	var n config.TrackNumbering
	for i, t := range tracks {
		video := t.Codec.Kind() == media.KindVideo
		ti := TrackInfo{
			TrackID: n.Next(video).String(), Content: string(t.Codec.Kind()),
			Codec: apiCodec(t.Codec), Bitrate: kbits(t.Bitrate),
		}
		if video {
			ti.Width, ti.Height, ti.FPS = t.Width, t.Height, t.FPS
		} else {
			ti.SampleRate, ti.Channels = t.SampleRate, t.Channels
		}
		out[i] = ti
	}
	return out
}

// apiCodec names a codec as frame_codec does.
func apiCodec(c media.Codec) string {
	if c == media.CodecH265 {
		return "hevc"
	}
	return string(c)
}

// kbits is a bitrate in the API's unit, kbit/s.
func kbits(bitsPerSecond int) int { return bitsPerSecond / 1000 }
