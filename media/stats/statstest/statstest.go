// Package statstest holds a stream report with every field set, shared by
// the test that makes it (actors/stream: a full Status read as a report)
// and the test that writes it (gateway/api: the report as the Control
// API's JSON), so the two pin the same values.
package statstest

import (
	"time"

	"streamhive/media"
	"streamhive/media/stats"
)

// Full is the report of actors/stream's fully populated test Status at
// now: inputs with MPEG-TS and SRT counters, two tracks with their rates,
// a last frame, switches, a failed transcoder with a fallback, and two
// pushes (the second disabled).
func Full(now time.Time) *stats.Stream {
	started := now.Add(-90 * time.Second)
	return &stats.Stream{
		Alive: true, State: "running", Started: started, Lifetime: 90 * time.Second, Bitrate: 1_850_000,
		LastFrame: now.Add(-40 * time.Millisecond), LastFrameAgo: 40 * time.Millisecond,
		Tracks: []stats.Track{
			{Codec: media.CodecH265, Width: 1280, Height: 720, FPS: 25, Bitrate: 1_700_000},
			{Codec: media.CodecAAC, SampleRate: 48000, Channels: 2, Bitrate: 128_000},
		},
		Active: 1, Switches: 2, SwitchReason: "input 0 failed",
		Packaging: stats.Packaging{Frames: 2240, Overflowed: 4, Dropped: 5, Errors: 1},
		Inputs: []stats.Input{
			{
				State: "error", Bytes: 100, Frames: 3, Failures: 2, Dropped: 2, Restarts: 1, LastError: "eof",
				TS: &stats.TS{
					Packets: 10, SyncErrors: 11, TransportErrors: 12, CCErrors: 13, LostPackets: 14,
					Scrambled: 15, PATErrors: 16, PMTErrors: 17, BrokenPayloads: 18,
				},
			},
			{
				State: "running", Bytes: 123356, Frames: 2250, Bitrate: 1_900_000,
				SRT: &stats.SRT{
					RTT: 1500 * time.Microsecond, PacketsReceived: 900, PacketsLost: 5,
					PacketsRetransmitted: 4, PacketsDropped: 1,
				},
			},
		},
		Pushes: []*stats.Push{
			{ID: "p1", Opened: started.Add(time.Second), State: "running", Bytes: 5000, Errors: 2, Reconnects: 1, Retries: 1},
			nil,
		},
		Transcoder: &stats.Transcoder{
			State: stats.TranscoderError, Err: "encoder broke", Fallback: true, Restarts: 1, FramesIn: 2250,
			Dropped: 3, DecodeErrors: 1, Encoders: 2,
			Renditions: []stats.Rendition{
				{Width: 1280, Height: 720, Bitrate: 2_000_000, FramesOut: 2249, Keyframes: 45},
				{Bitrate: 300_000, FramesOut: 2248},
			},
		},
	}
}
