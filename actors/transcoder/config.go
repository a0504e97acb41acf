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
// runs. hw=nvenc selects NVENC (h264_nvenc, or hevc_nvenc for vcodec=hevc)
// on deviceid (default 0). gop= counts pictures (after fps=); without it
// the keyframes come a segment apart. Without audio options, or with
// ab=copy, the audio is copied.
func Ladder(spec config.Transcoder, segment time.Duration) transcode.Ladder {
	l := transcode.Ladder{KeyInterval: segment}
	if g := spec.Global; g != nil {
		l.FPS, l.GOP = g.FPS, g.GOP
		if g.HW == "nvenc" {
			l.Encoder = "h264_nvenc"
			if g.DeviceID != nil {
				l.Device = *g.DeviceID
			}
		}
	}
	for _, v := range spec.Video {
		l.Renditions = append(l.Renditions, rendition(v))
	}
	if a := spec.Audio; a != nil && !a.Copy && (a.Codec != "" || a.Bitrate > 0 || a.Channels > 0 || a.SampleRate > 0) {
		codec := media.CodecAAC
		if a.Codec == "opus" {
			codec = media.CodecOpus
		}
		l.Audio = &transcode.AudioOut{Codec: codec, Bitrate: a.Bitrate, Channels: a.Channels, SampleRate: a.SampleRate}
	}
	return l
}

// rendition is one vb= of the line. A side of -1 keeps the aspect, as 0
// does in media/transcode.
func rendition(v config.TranscoderVideo) transcode.Rendition {
	r := transcode.Rendition{
		Width: max(v.Width, 0), Height: max(v.Height, 0), Bitrate: v.Bitrate, Preset: v.Preset,
		Profile: v.Profile, Deinterlace: v.Deinterlace, FieldRate: v.DeinterlaceRate == "field",
	}
	if v.Codec == "hevc" {
		r.Codec = media.CodecH265
	}
	if v.BFrames != nil {
		r.BFrames = *v.BFrames
	}
	if v.Logo != nil {
		r.Logo = &transcode.Logo{Path: v.Logo.Path, Position: v.Logo.Position}
	}
	return r
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
