// Package stats holds the plain status values that the actors report of
// a stream and its parts at one moment. They are copies, never live
// counters, in Go's own units: time.Time, time.Duration, bits per second.
// Nothing here knows the Control API's JSON; the gateway maps these
// values to it (gateway/api), names, units and omissions included.
//
// A value is built by its reporter and not modified afterwards, so it may
// be shared between readers.
package stats

import (
	"time"

	"streamhive/media"
)

// Stream is what a running stream reports of itself.
type Stream struct {
	Alive    bool          // an input feeds the stream
	State    string        // running, waiting or error (actors/stream's states)
	Started  time.Time     // when the stream's actor started
	Lifetime time.Duration // from Started to the report
	// Bitrate is what the stream received, in bits per second, averaged
	// over the last few seconds (measured to the kbit/s).
	Bitrate int
	// LastFrame is when the last frame left the stream's hub (the zero
	// time before the first); LastFrameAgo is how long before the report
	// that was.
	LastFrame    time.Time
	LastFrameAgo time.Duration
	// Tracks are what the stream carries; nil when nothing feeds it.
	Tracks []Track
	// Active is the index into Inputs of the input feeding the stream;
	// meaningful only when Alive.
	Active int
	// Switches counts changes of the feeding input from one input to
	// another; SwitchReason says why it last changed.
	Switches     int
	SwitchReason string
	Inputs       []Input // in configuration order
	// Pushes parallels the stream's pushes: nil for a disabled one; nil
	// without pushes.
	Pushes     []*Push
	Transcoder *Transcoder // nil without a transcoder
	DVR        *DVR        // nil for a stream that records nothing
	DRM        *DRM        // nil for a stream without DRM
	// Packaging counts the frames between the stream's hub and its
	// segments: the frames the server lost on that path.
	Packaging Packaging
	// Clients is how many viewer sessions the stream has open
	// (online_clients); the server fills it from its sessions, not the
	// stream actor.
	Clients int
}

// Packaging counts what the stream's packager did with the frames that
// left its hub, since the stream instance started. Frames before the
// first keyframe are in Overflowed or Dropped too: nothing can be
// segmented before one, so a reader that wants losses compares two
// reports taken after the stream became playable.
type Packaging struct {
	Frames int64 // frames written into segments
	// Overflowed counts frames the packager lost because its queue was
	// full (it fell behind the hub), and those after them up to the next
	// keyframe, which it skips to.
	Overflowed int64
	Dropped    int64 // frames the segmenter dropped: before a keyframe, of an unknown track, with a DTS going back
	Errors     int64 // frames the muxers rejected
}

// Lost is every frame the packager lost, whatever the reason.
func (p Packaging) Lost() int64 { return p.Overflowed + p.Dropped + p.Errors }

// DRM is a protected stream's key server, as its key actor last found it.
type DRM struct {
	// Error is the key server's last failure ("" while keys are had);
	// Since is when it (or its absence) began.
	Error string
	Since time.Time
	// Serving is whether a key protects media recorded now: the held key
	// of the current period still does while the server is down; without
	// one the protected outputs refuse.
	Serving bool
}

// Track is one track a stream carries and what was measured of it.
type Track struct {
	Codec         media.Codec
	Width, Height int     // video
	FPS           float64 // video: frames per second of media time; 0 until measured
	SampleRate    int     // audio, Hz
	Channels      int     // audio
	Bitrate       int     // bits per second, averaged over the last few seconds (measured to the kbit/s)
}

// Input is one input of a stream.
type Input struct {
	State     string // waiting, running or error (actors/stream's input states)
	Bytes     int64  // received, by every run of the input
	Frames    int64  // written to the stream
	Bitrate   int    // bits per second received, averaged over the last few seconds (measured to the kbit/s)
	Failures  int64  // failures of the input since the stream started
	Dropped   int64  // malformed or unusable units its puller dropped
	Restarts  int64  // restarts its supervisor made
	LastError string
	TS        *TS  // MPEG-TS health; nil for an input that has read no TS packet
	SRT       *SRT // SRT connection health; nil for an input that is no SRT connection
}

// TS are an input's MPEG-TS counters (media.TSStats, copied).
type TS struct {
	Packets, SyncErrors, TransportErrors, CCErrors, LostPackets int64
	Scrambled, PATErrors, PMTErrors, BrokenPayloads             int64
}

// SRT are an SRT connection's receiver counters (media.SRTStats, copied).
type SRT struct {
	RTT                          time.Duration // smoothed
	PacketsReceived, PacketsLost int64
	PacketsRetransmitted         int64
	PacketsDropped               int64
}
