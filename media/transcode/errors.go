package transcode

import "errors"

// Sentinels.
var (
	// ErrNoEncoder is returned when FFmpeg lacks an encoder we need
	// (libx264 missing from the build).
	ErrNoEncoder = errors.New("transcode: encoder not available")

	// ErrNoFilter is returned when FFmpeg lacks a filter a graph names.
	ErrNoFilter = errors.New("transcode: filter not available")

	// ErrFormat is returned when a Raw does not have the pixel or sample
	// format an encoder was opened with.
	ErrFormat = errors.New("transcode: raw frame format does not match the encoder")

	// ErrEndOfStream is returned by Generator.Next when its sources end.
	ErrEndOfStream = errors.New("transcode: end of stream")
)
