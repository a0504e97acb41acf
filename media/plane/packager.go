package plane

import (
	"context"
	"log/slog"
	"time"

	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/meter"
	"streamhive/media/preview"
	"streamhive/media/segment"
)

// packager is the goroutine that feeds the stream's segmenter from its hub:
// the hub consumer every packaged output reads through. It owns the
// segmenter's writing side (SetTracks, WriteFrame, Close) and shares
// nothing with the Plane's owner but concurrency-safe handles.
type packager struct {
	c       *hub.Consumer
	seg     *segment.Segmenter
	meter   *meter.Meter
	preview *preview.Preview
	log     *slog.Logger
	done    chan struct{} // closed when run returns
}

func startPackager(c *hub.Consumer, seg *segment.Segmenter, m *meter.Meter, pv *preview.Preview, log *slog.Logger) *packager {
	p := &packager{c: c, seg: seg, meter: m, preview: pv, log: log, done: make(chan struct{})}
	go p.run()
	return p
}

// run reads until the hub closes, then closes the segmenter, which
// publishes its final window.
func (p *packager) run() {
	defer close(p.done)
	defer p.seg.Close()
	var version uint64 // the hub starts at version 0 with no tracks
	usable := true     // the segmenter accepted the current tracks
	for {
		f, err := p.c.Read(context.Background())
		if err != nil {
			return // hub.ErrClosed: the stream is stopping
		}
		tracks := p.c.Tracks()
		if tracks.Version != version {
			version = tracks.Version
			usable = p.setTracks(tracks.List)
		}
		p.meter.Observe(f, time.Now())
		p.preview.Offer(tracks.List, f)
		if usable {
			p.seg.WriteFrame(f)
		}
	}
}

// setTracks hands a new track list to the segmenter. Tracks it cannot
// package (a video track without parameter sets) leave the outputs without
// segments until the next list; the frames are still counted.
func (p *packager) setTracks(list []media.Track) bool {
	if err := p.seg.SetTracks(list); err != nil {
		p.log.Warn("stream: cannot package these tracks", slog.Any("err", err))
		return false
	}
	return true
}
