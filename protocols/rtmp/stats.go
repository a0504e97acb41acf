package rtmp

import "sync/atomic"

// Stats counts one connection's traffic. The connection's goroutine writes
// it; anybody may read it at any time. Bitrate is the caller's business:
// sample Bytes twice and divide.
type Stats struct {
	Bytes  atomic.Uint64 // bytes read from the network, RTMP overhead included
	Frames atomic.Uint64 // frames written to the sink
	Errors atomic.Uint64 // tags dropped as malformed or unsupported
}
