package config

// StreamStats is the read-only runtime part of a stream (stream_stats) that
// the API returns. Field names follow stream_stats_base.
type StreamStats struct {
	Alive       bool         `json:"alive"`
	Status      string       `json:"status,omitempty"` // running, waiting, error
	Lifetime    int64        `json:"lifetime"`         // milliseconds since the stream actor started
	OpenedAt    int64        `json:"opened_at,omitempty"`
	Bitrate     int          `json:"bitrate,omitempty"` // kbit/s
	LastDTSAgo  *int64       `json:"last_dts_ago,omitempty"`
	InputBytes  int64        `json:"input_bytes,omitempty"`
	MediaInfo   *MediaInfo   `json:"media_info,omitempty"`
	ActiveInput *int         `json:"active_input,omitempty"`
	Inputs      []InputStats `json:"inputs,omitempty"`
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
	Bitrate    int     `json:"bitrate,omitempty"`
}

// InputStats is input_stats.
type InputStats struct {
	Active    bool   `json:"active,omitempty"`
	Status    string `json:"status,omitempty"`
	Bytes     int64  `json:"bytes,omitempty"`
	Frames    int64  `json:"frames,omitempty"`
	Bitrate   int    `json:"bitrate,omitempty"`
	Errors    int64  `json:"errors,omitempty"`
	Restarts  int64  `json:"restarts,omitempty"`
	LastError string `json:"last_error,omitempty"`
}

// PushStats is push_stats.
type PushStats struct {
	Status     string `json:"status,omitempty"`
	Bytes      int64  `json:"bytes,omitempty"`
	Errors     int64  `json:"errors,omitempty"`
	Reconnects int64  `json:"reconnects,omitempty"`
}
