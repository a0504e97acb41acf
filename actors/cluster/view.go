// Package cluster makes this node one of a StreamHive cluster on
// protoactor's cluster and remote packages: membership from the `peer`
// lines (or etcd), the cluster key enforced on every call between nodes,
// the placement of `cluster_ingest` captures, and the protobuf calls one
// node makes on another's streams.
//
// This file is the seam the rest of the tree codes against: View (who is
// in the cluster now, lock-free) and Remote (calls on a stream that runs
// on another node).
package cluster

import (
	"context"
	"time"

	"streamhive/media/stats"
)

// Member is one node of the cluster as this node last saw it. Values are
// immutable snapshots.
type Member struct {
	// ID is the node's protoactor member ID: fresh at every process start
	// (protoactor blocks a removed ID for good, so a restarted node
	// rejoins as a new member).
	ID string
	// Name is what the configuration calls the node: the HOST[:PORT] of
	// the `peer` line that reaches it (capture_at=NAME matches it, or
	// its host part). A node names itself by the `peer` line whose probe
	// answered with its own ID, else by its HTTP listener's address.
	Name string
	// API is the base URL of the node's HTTP port ("http://127.0.0.1:8081"):
	// playback, the Control API, the inter-node HTTP endpoints.
	API string
	// Address is the node's remote (gRPC) endpoint, host:port.
	Address string
	// Self marks this node.
	Self bool
	// Captures are the cluster_ingest streams the node captures now
	// (sorted): the claims placement keeps sticky.
	Captures []string
	// Streams are the streams running on the node that another node may
	// serve (sorted): its configured, enabled streams that it captures
	// itself (not the relays it pulls from another node).
	Streams []string
	// Load is what the balancer compares.
	Load Load
	// Seen is when the node last answered a probe.
	Seen time.Time
	// Started is when the node started, by its clock, and Uptime how
	// long it had run when it answered at Seen (zero: it did not say).
	Started time.Time
	Uptime  time.Duration
}

// Load is a node's load as it reports it.
type Load struct {
	CPU        float64 // share of the machine's CPU in use, 0..1
	Clients    int     // viewer sessions open
	OutputKbit int64   // what its viewers receive, kbit/s
	Streams    int     // streams running
}

// View is the cluster as this node sees it now. Safe for concurrent use;
// its methods never block (they read a published snapshot).
type View interface {
	// Members lists the alive members, this node included, sorted by ID.
	// A member is dropped only after several missed probes (removal is
	// final in protoactor).
	Members() []Member
	// Self is this node.
	Self() Member
}

// Remote is what a node asks of a stream that runs on another node:
// protobuf messages to that node's cluster actor, which answers from its
// own streams. Errors wrap config.ErrNotFound when the member does not
// run the stream (any more), and context errors when it does not answer.
type Remote interface {
	Stats(ctx context.Context, m Member, name string) (stats.Stream, bool, error)
	SelectInput(ctx context.Context, m Member, name string, index int) error
	Stop(ctx context.Context, m Member, name string) error
}
