package transcoder

import (
	"fmt"
	"time"

	"streamhive/actors/config"
	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/transcode"
	"streamhive/supervision"
)

// Config configures one stream's transcoder.
type Config struct {
	Stream media.StreamName
	Spec   config.Transcoder
	// SegmentDuration is the stream's segment_duration: the renditions'
	// forced keyframes come this far apart unless the spec names a gop.
	SegmentDuration time.Duration
	// Source is the hub the stream's inputs feed; Output is the stream's
	// hub, which the transcoder's session is the only writer of.
	Source, Output *hub.Hub
	// Stats are the live counters the Control API and /metrics read; they
	// outlive restarts of the session. NewStats makes them.
	Stats *transcode.Stats
	// Supervisor restarts failed sessions. Nil means DefaultSupervisor().
	Supervisor *supervision.RestartWithBackoff
}

// NewStats returns the counters for spec's ladder.
func NewStats(spec config.Transcoder) *transcode.Stats {
	return transcode.NewStats(len(spec.Video))
}

// DefaultSupervisor restarts a failed session after 1 s, doubling to
// 30 s, without a budget: a GPU that comes back or a source that becomes
// decodable again is picked up by the next attempt, and the stream keeps
// its other outputs meanwhile.
func DefaultSupervisor() *supervision.RestartWithBackoff {
	return &supervision.RestartWithBackoff{
		Backoff: supervision.Backoff{Initial: time.Second, Max: 30 * time.Second},
		Window:  5 * time.Minute,
	}
}

// Ladder translates the transcoder line into the ladder media/transcode
// runs. hw=nvenc selects h264_nvenc on deviceid (default 0). Without
// audio options the audio is copied.
func Ladder(spec config.Transcoder, segment time.Duration) transcode.Ladder {
	l := transcode.Ladder{KeyInterval: segment}
	if g := spec.Global; g != nil {
		l.FPS = g.FPS
		if g.GOP > 0 && g.FPS > 0 {
			l.KeyInterval = time.Duration(g.GOP) * time.Second / time.Duration(g.FPS)
		}
		if g.HW == "nvenc" {
			l.Encoder = "h264_nvenc"
			if g.DeviceID != nil {
				l.Device = *g.DeviceID
			}
		}
	}
	for _, v := range spec.Video {
		r := transcode.Rendition{
			Width: v.Width, Height: v.Height, Bitrate: v.Bitrate, Preset: v.Preset, Deinterlace: v.Deinterlace,
		}
		if v.BFrames != nil {
			r.BFrames = *v.BFrames
		}
		if v.Logo != nil {
			r.Logo = &transcode.Logo{Path: v.Logo.Path, Position: v.Logo.Position}
		}
		l.Renditions = append(l.Renditions, r)
	}
	if a := spec.Audio; a != nil && (a.Codec != "" || a.Bitrate > 0) {
		codec := media.CodecAAC
		if a.Codec == "opus" {
			codec = media.CodecOpus
		}
		l.Audio = &transcode.AudioOut{Codec: codec, Bitrate: a.Bitrate}
	}
	return l
}

// fallsBack reports whether spec asks for the CPU when its hardware fails.
func fallsBack(spec config.Transcoder) bool {
	return spec.Global != nil && spec.Global.HW == "nvenc" && spec.Global.Fallback == "cpu"
}

// sessionName names the session child after its device: "cpu" or
// "nvenc-N".
func sessionName(l transcode.Ladder) string {
	if l.Encoder == "h264_nvenc" {
		return fmt.Sprintf("nvenc-%d", l.Device)
	}
	return "cpu"
}
