// Package plane assembles one stream's data plane: the hub its active input
// (or its transcoder) writes to, the stream's one segmenter, and the
// packager goroutine that feeds the segmenter from the hub while keeping
// the stream's meter and preview. Every output (HLS, LL-HLS, DASH, DVR,
// the preview) reads what the packager made; pushes and real-time players
// read the hub.
//
// The stream actor creates a Plane when an instance of it starts and
// closes it when that instance stops or restarts; a restarted stream
// starts a fresh one. Which input writes to the hub is package feed's
// business; the plane only provides the hub it writes to (Input).
package plane

import (
	"log/slog"
	"sync/atomic"
	"time"

	"streamhive/media/hub"
	"streamhive/media/meter"
	"streamhive/media/preview"
	"streamhive/media/segment"
)

// Options configure a Plane.
type Options struct {
	// SegmentDuration and WindowSegments configure the segmenter (see
	// segment.Config); zero means its defaults.
	SegmentDuration time.Duration
	WindowSegments  int
	// PartDuration is the LL-HLS part target (segment.Config); zero means
	// its default.
	PartDuration time.Duration
	// Transcoded gives the inputs a hub of their own (Input), which a
	// transcoder reads and whose renditions it writes to Hub. Everything
	// downstream of Hub then sees only the renditions.
	Transcoded bool
	// Preview makes the preview's pictures. Required.
	Preview preview.Encode
	// Log receives the packager's warnings. Nil means slog.Default().
	Log *slog.Logger
}

// Plane is one stream instance's data plane. Its methods are safe for
// concurrent use except StartPackager and Close, which belong to the
// owner's goroutine.
type Plane struct {
	hub      *hub.Hub
	source   *hub.Hub // the inputs' hub when transcoded; nil otherwise
	seg      *segment.Segmenter
	meter    *meter.Meter
	preview  *preview.Preview
	packager *packager // nil until StartPackager
	// queue is the packager's hub consumer, for Packaging's readers on
	// other goroutines; nil until StartPackager.
	queue atomic.Pointer[hub.Consumer]
	log   *slog.Logger
}

// New returns a Plane whose packager has not started: a stream that never
// receives media costs no goroutine.
func New(o Options) *Plane {
	if o.Log == nil {
		o.Log = slog.Default()
	}
	p := &Plane{
		hub: hub.New(hub.Options{}),
		seg: segment.New(segment.Config{
			SegmentDuration: o.SegmentDuration,
			WindowSegments:  o.WindowSegments,
			PartDuration:    o.PartDuration,
		}),
		meter:   new(meter.Meter),
		preview: preview.New(o.Preview),
		log:     o.Log,
	}
	if o.Transcoded {
		p.source = hub.New(hub.Options{})
	}
	return p
}

// Hub is the stream's hub: what its outputs, pushes and players read.
func (p *Plane) Hub() *hub.Hub { return p.hub }

// Input is the hub the inputs feed: the transcoder's source when the
// stream is transcoded, else Hub.
func (p *Plane) Input() *hub.Hub {
	if p.source != nil {
		return p.source
	}
	return p.hub
}

// Segmenter is the stream's one segmenter, written by the packager.
func (p *Plane) Segmenter() *segment.Segmenter { return p.seg }

// Meter holds the counters of the frames that left Hub.
func (p *Plane) Meter() *meter.Meter { return p.meter }

// Preview is the stream's picture cache, offered the keyframes that left
// Hub.
func (p *Plane) Preview() *preview.Preview { return p.preview }

// StartPackager starts the packager goroutine unless it runs. A writer
// must not reach Hub before it has been called: the packager's consumer
// would miss the writer's first frames.
func (p *Plane) StartPackager() {
	if p.packager == nil {
		p.packager = startPackager(p.hub.Subscribe(), p.seg, p.meter, p.preview, p.log)
		p.queue.Store(p.packager.c)
	}
}

// Close closes the hubs (revoking their writers and waking the packager)
// and waits for the packager to close the segmenter, which publishes its
// final window, and return. The packager does only in-memory work, so the
// wait is short. Without a packager the segmenter is closed here.
func (p *Plane) Close() {
	if p.source != nil {
		p.source.Close()
	}
	p.hub.Close()
	if p.packager == nil {
		p.seg.Close()
		return
	}
	<-p.packager.done
}
