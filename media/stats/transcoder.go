package stats

// Transcoder states, as media/transcode names them.
const (
	TranscoderStarting = "starting"
	TranscoderRunning  = "running"
	TranscoderError    = "error"
)

// Transcoder is a stream's transcoder: its state and counters, which only
// grow while the stream runs.
type Transcoder struct {
	State    string // TranscoderStarting, TranscoderRunning or TranscoderError
	Err      string // the last failure
	Encoder  string // the video encoder in use (libx264, h264_nvenc); "" before one opened
	Fallback bool   // it runs on the CPU because its hardware encoder failed
	Restarts int64
	FramesIn int64 // source video frames read
	Dropped  int64 // source frames never decoded
	// DecodeErrors counts source frames the decoder rejected.
	DecodeErrors int64
	Speed        float64 // times real time: source time processed per second of work
	Encoders     int     // renditions the ladder encodes
	Renditions   []Rendition
}

// Rendition is one output video track of a transcoder.
type Rendition struct {
	Width, Height int     // configured; 0 when the source's
	Bitrate       int     // configured, bits per second
	FramesOut     int64   // frames encoded
	Keyframes     int64   // of those, keyframes
	Speed         float64 // times real time for this rendition's encoder alone
}
