package stream

import (
	"log/slog"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/transcoder"
	"streamhive/media/plane"
	"streamhive/media/preview"
)

// newPlane creates the data plane of one instance of stream cfg: its hub,
// segmenter, packager, meter and preview (package media/plane), and a hub
// of the inputs' own when the stream transcodes.
func newPlane(cfg config.Stream, encode preview.Encode, log *slog.Logger) *plane.Plane {
	return plane.New(plane.Options{
		SegmentDuration: time.Duration(cfg.SegmentDuration) * time.Millisecond,
		WindowSegments:  cfg.SegmentCount,
		PartDuration:    time.Duration(cfg.ChunkDuration) * time.Millisecond,
		Transcoded:      cfg.Transcoder != nil,
		Preview:         encode,
		Log:             log,
	})
}

// playbackOf returns the Playback of p under the stream's protocols and
// thumbnails directives; the preview keeps keyframes for thumbnails only
// while the directive serves them.
func playbackOf(p *plane.Plane, opus *transcoder.OpusDemand, cfg *config.Stream) *Playback {
	p.Preview().KeepThumbnails(cfg.Thumbnails.On())
	return &Playback{
		hub: p.Hub(), seg: p.Segmenter(), preview: p.Preview(), opus: opus,
		protocols: cfg.Protocols, thumbnails: cfg.Thumbnails,
	}
}
