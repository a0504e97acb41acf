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
// starts a fresh one.
type mediaPlane struct {
	hub      *hub.Hub
	seg      *segment.Segmenter
	meter    *Meter
	preview  *preview
	packager *packager
}

// startMedia creates the plane for stream cfg and starts its packager.
func startMedia(cfg config.Stream, encode func(media.Track, *media.Frame) ([]byte, error), log *slog.Logger) *mediaPlane {
	h := hub.New(hub.Options{})
	m := &mediaPlane{
		hub: h,
		seg: segment.New(segment.Config{
			SegmentDuration: time.Duration(cfg.SegmentDuration) * time.Millisecond,
			WindowSegments:  cfg.SegmentCount,
		}),
		meter:   new(Meter),
		preview: newPreview(encode),
	}
	m.packager = &packager{
		c: h.Subscribe(), seg: m.seg, meter: m.meter, preview: m.preview,
		log: log.With(slog.String("stream", cfg.Name)), done: make(chan struct{}),
	}
	go m.packager.run()
	return m
}

// playback returns the Playback of this plane under the given protocols.
func (m *mediaPlane) playback(protocols *config.Protocols) *Playback {
	return &Playback{hub: m.hub, seg: m.seg, preview: m.preview, protocols: protocols}
}

// grant makes a new writer the hub's only one, under tracks, and returns
// it. The previous writer is revoked first, so its last frames never
// interleave with the new writer's and never carry the new tracks.
func (m *mediaPlane) grant(tracks []media.Track) *hub.Writer {
	w := m.hub.NewWriter()
	m.hub.SetTracks(tracks)
	return w
}

// close closes the hub (revoking the writer and waking the packager) and
// waits for the packager to close the segmenter and return. The packager
// does only in-memory work, so the wait is short.
func (m *mediaPlane) close() {
	m.hub.Close()
	<-m.packager.done
}
