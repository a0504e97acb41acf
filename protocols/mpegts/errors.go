package mpegts

import "errors"

// Errors a demux ends with. Malformed packets and payloads are not among
// them: those are counted in media.TSStats and dropped.
var (
	// ErrNoPAT: no valid PAT within Config.ProbePackets packets, or before
	// the input ended.
	ErrNoPAT = errors.New("mpegts: no PAT")
	// ErrNoPMT: the PAT named the program's PMT, but no valid PMT came
	// within Config.ProbePackets packets, or before the input ended.
	ErrNoPMT = errors.New("mpegts: no PMT")
	// ErrNoProgram: the PAT does not list the program (or PMT PID) that
	// Config asks for.
	ErrNoProgram = errors.New("mpegts: program not in PAT")
	// ErrNoFrames: the PMT is there, but none of its supported streams
	// produced a usable frame (a keyframe with parameter sets for video)
	// within Config.ProbePackets packets, or before the input ended.
	ErrNoFrames = errors.New("mpegts: no usable frames")
	// ErrTracksChanged: after the tracks were published, the PMT or a
	// codec configuration (SPS, AAC config) changed. Restarting the input
	// publishes the new tracks.
	ErrTracksChanged = errors.New("mpegts: tracks changed")
	// ErrBadOptions: an option (program, pids) is not a number list.
	ErrBadOptions = errors.New("mpegts: bad options")
)
