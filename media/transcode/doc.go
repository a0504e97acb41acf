// Package transcode wraps FFmpeg through go-astiav: filter graphs that
// generate or transform raw pictures and samples, and encoders that turn
// them into media.Frames. Today it holds what the fake:// test pattern
// needs (a generator graph, an H.264 and an AAC encoder); the transcoder's
// decode -> scale -> encode ladder grows here from the same pieces: a
// decoder producing Raw, a graph transforming Raw, the same encoders.
//
// It is the only package that imports go-astiav and imports nothing of ours
// but media. Every FFmpeg object is allocated and freed in one function:
// the With* functions allocate, run their callback, and free, so that a
// pipeline is one goroutine's nest of With* calls and nothing outlives it.
// Nothing here is safe for concurrent use: one goroutine per pipeline.
package transcode
