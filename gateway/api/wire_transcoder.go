package api

import (
	"strconv"

	"streamhive/media/stats"
)

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

// addTranscoder sets the transcoder's fields of st; a no-op on nil.
func addTranscoder(st *StreamStats, t *stats.Transcoder) {
	if t == nil {
		return
	}
	ts := &TranscoderStats{
		Status: t.State, Error: t.Err, Device: apiDevice(t.Encoder), Fallback: t.Fallback,
		Restarts: t.Restarts, FramesIn: t.FramesIn, Dropped: t.Dropped,
		DecErrCount: t.DecodeErrors, Speed: round2(t.Speed), Encoders: t.Encoders,
	}
	for i, r := range t.Renditions {
		ts.Renditions = append(ts.Renditions, TranscoderRenditionStats{
			TrackID: "v" + strconv.Itoa(i+1), Width: r.Width, Height: r.Height, Bitrate: r.Bitrate,
			FramesOut: r.FramesOut, Keyframes: r.Keyframes, Speed: round2(r.Speed),
		})
	}
	st.Transcoder = ts
	st.RunningTranscoder = t.State == stats.TranscoderRunning
	st.TranscoderOverloaded = t.State == stats.TranscoderRunning && ts.Speed > 0 && ts.Speed < 1
	st.CoderError = t.State == stats.TranscoderError
}

// apiDevice names an encoder as transcoder_device does.
func apiDevice(encoder string) string {
	switch encoder {
	case "":
		return ""
	case "h264_nvenc":
		return "nvenc"
	default:
		return "cpu"
	}
}

// round2 rounds a speed to two decimals.
func round2(x float64) float64 { return float64(int64(x*100+0.5)) / 100 }
