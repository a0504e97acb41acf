package live

import "errors"

// Node names the cluster node a stream runs on.
type Node string

// Local is this node: where every stream runs until there is a cluster.
const Local Node = ""

// Location is where a stream runs and the handle to act on it there.
type Location struct {
	Node   Node
	Stream Stream
}

// Locator answers where a stream runs. Locate is called on every playback
// request and every Control API call that reaches a stream, from many
// goroutines at once; it must not block (the local one reads a published
// snapshot of the streams directory).
type Locator interface {
	// Locate returns the named stream ("live/bunny"); false when no node
	// runs a stream of that name: it is not configured, or disabled (404).
	Locate(name string) (Location, bool)
}

// ErrUnreachable is what a Stream on another node wraps when that node
// did not answer (it left the cluster, or timed out): the Control API
// answers 502.
var ErrUnreachable = errors.New("live: the node running the stream did not answer")
