package stream

import (
	"log/slog"
	"time"

	"streamhive/actors/config"
	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/segment"
)

// mediaPlane is one stream actor instance's data plane: the hub the active
// input writes to, the packager goroutine that feeds the segmenter from it,
// and the counters and preview the packager keeps. The actor creates it on
// Started and releases it on Stopping or Restarting; a restarted stream
// starts a fresh one. The packager starts with the first grant, so a
// stream that never receives media costs no goroutine.
type mediaPlane struct {
	hub      *hub.Hub
	seg      *segment.Segmenter
	meter    *Meter
	preview  *preview
	packager *packager       // nil until the first grant
	tc       *transcodePlane // nil without a transcoder (transcode.go)
	log      *slog.Logger
}

// newMedia creates the plane for stream cfg.
func newMedia(cfg config.Stream, encode func(media.Track, *media.Frame) ([]byte, error), log *slog.Logger) *mediaPlane {
	return &mediaPlane{
		hub: hub.New(hub.Options{}),
		seg: segment.New(segment.Config{
			SegmentDuration: time.Duration(cfg.SegmentDuration) * time.Millisecond,
			WindowSegments:  cfg.SegmentCount,
		}),
		meter:   new(Meter),
		preview: newPreview(encode),
		tc:      newTranscodePlane(cfg),
		log:     log.With(slog.String("stream", cfg.Name)),
	}
}

// playback returns the Playback of this plane under the given protocols.
func (m *mediaPlane) playback(protocols *config.Protocols) *Playback {
	return &Playback{hub: m.hub, seg: m.seg, preview: m.preview, protocols: protocols}
}

// startPackager starts the packager goroutine unless it runs. It belongs
// to the actor's goroutine; a sink that takes the hub over at its keyframe
// (feed.go) relies on it having run before the sink was armed.
func (m *mediaPlane) startPackager() {
	if m.packager == nil {
		m.packager = &packager{
			c: m.hub.Subscribe(), seg: m.seg, meter: m.meter, preview: m.preview,
			log: m.log, done: make(chan struct{}),
		}
		go m.packager.run()
	}
}

// close closes the hub (revoking the writer and waking the packager) and
// waits for the packager to close the segmenter and return. The packager
// does only in-memory work, so the wait is short. Without a packager the
// segmenter is this goroutine's to close.
func (m *mediaPlane) close() {
	m.tc.closeSource()
	m.hub.Close()
	if m.packager == nil {
		m.seg.Close()
		return
	}
	<-m.packager.done
}
