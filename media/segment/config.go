package segment

import "time"

// Defaults for Config's zero fields.
const (
	// DefaultSegmentDuration is Flussonic's default segment_duration.
	DefaultSegmentDuration = 2 * time.Second
	// DefaultWindowSegments keeps 6 segments: 12 s at the default duration,
	// enough for a player's three-segment hold-back plus reload slack.
	DefaultWindowSegments = 6
	// DefaultPartDuration is the LL-HLS part target: hls.js holds back
	// three parts (PART-HOLD-BACK), so 200 ms parts keep its live latency
	// under a second, and a new viewer's first part is ready 200 ms after
	// the publisher's first keyframe. Flussonic's chunk_duration example.
	DefaultPartDuration = 200 * time.Millisecond
)

// Config configures a Segmenter. Every zero field has a default.
type Config struct {
	// SegmentDuration is the target: a segment is cut at the first keyframe
	// of the leading track once this much has elapsed, so a segment may run
	// longer by up to one GOP. Default DefaultSegmentDuration.
	SegmentDuration time.Duration

	// PartDuration is the LL-HLS part target (chunk_duration); parts
	// never exceed it (by more than a frame's jitter). A part holds at
	// least one frame of the leading track, so with frames longer than
	// the target each part is one frame. Default DefaultPartDuration, at
	// most the segment duration.
	PartDuration time.Duration

	// WindowSegments is how many finished segments the Window keeps.
	// Default DefaultWindowSegments.
	WindowSegments int

	// Now gives the wall clock for program date times. Default time.Now.
	Now func() time.Time

	// KeepTimeline keeps the frames' timestamps as the output timeline
	// (a VOD segment cut from a file sits at its time in the file);
	// otherwise the first keyframe is time 0.
	KeepTimeline bool

	// OnSegment, if set, is called on the writing goroutine with each
	// finished segment (for a DVR). It must not block for long.
	OnSegment func(*Segment)
}

func (c Config) withDefaults() Config {
	if c.SegmentDuration <= 0 {
		c.SegmentDuration = DefaultSegmentDuration
	}
	if c.PartDuration <= 0 {
		c.PartDuration = DefaultPartDuration
	}
	c.PartDuration = min(c.PartDuration, c.SegmentDuration)
	if c.WindowSegments <= 0 {
		c.WindowSegments = DefaultWindowSegments
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}
