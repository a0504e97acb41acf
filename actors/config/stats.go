package config

// StreamStats is the read-only runtime part of a stream (stream_stats) that
// the API returns. Field names follow stream_stats_base.
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
	// API shows each as pushes[i].stats, not inside stats.
	Pushes []*PushStats `json:"-"`

	// RunningTranscoder, TranscoderOverloaded and CoderError are
	// stream_stats_base's: a transcoder is configured and running, it
	// works slower than real time, it has failed.
	RunningTranscoder    bool `json:"running_transcoder,omitempty"`
	TranscoderOverloaded bool `json:"transcoder_overloaded,omitempty"`
	CoderError           bool `json:"coder_error,omitempty"`
	// Transcoder holds the transcoder's counters; nil for a stream
	// without one.
	Transcoder *TranscoderStats `json:"transcoder,omitempty"`
	// DVREnabled and DVRInfo describe the stream's archive (stats_dvr.go);
	// both unset for a stream that records nothing.
	DVREnabled bool     `json:"dvr_enabled,omitempty"`
	DVRInfo    *DVRInfo `json:"dvr_info,omitempty"`
}

// TranscoderStats are a stream transcoder's counters (ours: the Flussonic
// API has only coder_stream_stats, whose fps_in, dec_err_count and
// encoders names are reused). Counters only grow while the stream runs;
// zeros are printed.
type TranscoderStats struct {
	Status      string  `json:"status"`           // starting, running, error
	Error       string  `json:"error,omitempty"`  // the last failure, e.g. no NVENC device
	Device      string  `json:"device,omitempty"` // transcoder_device of the encoders in use: cpu, nvenc
	Fallback    bool    `json:"fallback,omitempty"`
	Restarts    int64   `json:"restarts"`
	FramesIn    int64   `json:"frames_in"`
	Dropped     int64   `json:"dropped_frames"` // source frames never decoded (a full queue, a held-back overflow)
	DecErrCount int64   `json:"dec_err_count"`
	Speed       float64 `json:"speed"` // x real time: source time processed per second of work
	Encoders    int     `json:"encoders"`

	Renditions []TranscoderRenditionStats `json:"renditions,omitempty"`
}

// TranscoderRenditionStats count one rendition (one output video track).
type TranscoderRenditionStats struct {
	TrackID   string  `json:"track_id"` // v1, v2... as in media_info
	Width     int     `json:"width,omitempty"`
	Height    int     `json:"height,omitempty"`
	Bitrate   int     `json:"bitrate,omitempty"` // configured, bits per second
	FramesOut int64   `json:"frames_out"`
	Keyframes int64   `json:"keyframes"`
	Speed     float64 `json:"speed"` // x real time for this rendition's encoder alone
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

	// TS is the MPEG-TS health of a TS-carrying input (UDP, HTTP-TS, SRT,
	// TS files); nil for the others and before the first packet.
	TS *TSInputStats `json:"ts,omitempty"`
	// SRT is the transport health of an SRT input (pull or publisher);
	// nil for the others.
	SRT *SRTInputStats `json:"srt,omitempty"`
}

// TSInputStats are the MPEG-TS counters of one input (media.TSStats; the
// Flussonic API has no counterpart, so the names are ours). Every counter
// only grows while the input's counters live; zeros are printed.
type TSInputStats struct {
	Packets         int64 `json:"packets"`
	SyncErrors      int64 `json:"sync_errors"`
	TransportErrors int64 `json:"transport_errors"`
	CCErrors        int64 `json:"cc_errors"`
	LostPackets     int64 `json:"lost_packets"`
	Scrambled       int64 `json:"scrambled"`
	PATErrors       int64 `json:"pat_errors"`
	PMTErrors       int64 `json:"pmt_errors"`
	BrokenPayloads  int64 `json:"broken_payloads"`
}

// SRTInputStats are an SRT connection's receiver counters (media.SRTStats),
// as libsrt's statistics name them, and its round-trip time.
type SRTInputStats struct {
	RTT                  float64 `json:"rtt"` // milliseconds, smoothed
	PacketsReceived      int64   `json:"packets_received"`
	PacketsLost          int64   `json:"packets_lost"`
	PacketsRetransmitted int64   `json:"packets_retransmitted"`
	PacketsDropped       int64   `json:"packets_dropped"`
}

// PushStats is push_stats. Errors (failed connections) and Reconnects
// (connections made after a failure) are ours; Retries is the spec's
// failures since the last connection that sent media.
type PushStats struct {
	ID         string `json:"id,omitempty"`
	OpenedAt   int64  `json:"opened_at,omitempty"` // utc_ms
	Status     string `json:"status,omitempty"`    // starting, running, retry, error
	Bytes      int64  `json:"bytes,omitempty"`
	Errors     int64  `json:"errors,omitempty"`
	Reconnects int64  `json:"reconnects,omitempty"`
	Retries    int64  `json:"retries,omitempty"`
	LastError  string `json:"last_error,omitempty"`
}
