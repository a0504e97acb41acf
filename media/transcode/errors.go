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

	// ErrNoDevice is returned when a hardware encoder (NVENC) cannot be
	// opened: no such GPU, no NVENC on it, or no driver.
	ErrNoDevice = errors.New("transcode: hardware encoder unavailable")

	// ErrDecode is returned when a decoder rejects a frame (corrupt or
	// truncated input); the ladder counts it and goes on.
	ErrDecode = errors.New("transcode: decoding")

	// ErrEndOfStream is returned by Generator.Next when its sources end.
	ErrEndOfStream = errors.New("transcode: end of stream")
)
