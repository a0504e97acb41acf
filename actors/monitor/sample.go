// Package monitor watches what the server publishes (stream stats, DVR
// disks, its own CPU use) at a fixed interval: the alert rules that fire
// and clear as events (Retroview's role), and each input's last 24 hours
// of bitrate and errors per minute. Rules and the history ring are pure;
// one goroutine samples and evaluates.
package monitor

import (
	"time"

	"streamhive/media/stats"
)

// Sample is what the rules look at: the server at one moment.
type Sample struct {
	Time    time.Time
	Streams map[string]stats.Stream
	URLs    map[string][]string // each stream's input URLs, credentials masked
	Disks   []Disk
	CPU     float64 // the process's CPU use since the previous sample, 0..1 of all cores
}

// Disk is a DVR root's use.
type Disk struct {
	Path  string
	Usage int    // percent in use
	State string // ok, full or error
}

// inputErrors is an input's error counter: everything its puller or the
// transport reports as lost or broken, summed (the history's errors).
func inputErrors(in *stats.Input) int64 {
	n := in.Failures + in.Dropped
	if ts := in.TS; ts != nil {
		n += ts.CCErrors + ts.TransportErrors + ts.SyncErrors
	}
	if srt := in.SRT; srt != nil {
		n += srt.PacketsLost
	}
	return n
}
