package cluster

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// NodePath is the probe endpoint on every node's HTTP port: GET with
// KeyHeader, answered with the node's NodeInfo as JSON.
const NodePath = "/streamhive/cluster/node"

// maxNodeInfo bounds a probe answer: a node lists its streams by name, so
// this holds some thousands of them.
const maxNodeInfo = 1 << 20

// maxNodeNames bounds each list of a probe answer.
const maxNodeNames = 20000

// NodeInfo is what a node says of itself in a probe answer.
type NodeInfo struct {
	ID       string   `json:"id"`
	Address  string   `json:"address"` // remote (gRPC) host:port
	API      string   `json:"api"`
	Captures []string `json:"captures,omitempty"`
	Streams  []string `json:"streams,omitempty"`
	Load     Load     `json:"load"`
	// Settled: the node's membership has settled, so Captures is all it
	// captures or is about to (before, it captures nothing and its view
	// may lack this node).
	Settled bool `json:"settled,omitempty"`
	// StartedAt (unix seconds) and Uptime (seconds) are the node's own:
	// peer stats show them (uptime counted on from the answer's receipt,
	// so clocks apart do not skew it).
	StartedAt int64 `json:"started_at,omitempty"`
	Uptime    int64 `json:"uptime,omitempty"`
}

// ErrNodeInfo is a probe answer that is not a node's.
var ErrNodeInfo = errors.New("cluster: bad probe answer")

// ReadNodeInfo reads a probe answer from r, at most maxNodeInfo bytes.
func ReadNodeInfo(r io.Reader) (NodeInfo, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxNodeInfo+1))
	if err != nil {
		return NodeInfo{}, fmt.Errorf("%w: %w", ErrNodeInfo, err)
	}
	return ParseNodeInfo(b)
}

// ParseNodeInfo decodes and checks a probe answer.
func ParseNodeInfo(b []byte) (NodeInfo, error) {
	n, err := decodeNodeInfo(b)
	if err != nil {
		return n, err
	}
	if n.Address == "" || len(n.Address) > 300 {
		return NodeInfo{}, fmt.Errorf("%w: no address", ErrNodeInfo)
	}
	return n, nil
}

// decodeNodeInfo decodes a probe answer and checks what every node's
// has: a cluster member's, or a standalone source's, which has no remote
// address.
func decodeNodeInfo(b []byte) (NodeInfo, error) {
	var n NodeInfo
	if len(b) > maxNodeInfo {
		return n, fmt.Errorf("%w: over %d bytes", ErrNodeInfo, maxNodeInfo)
	}
	if err := json.Unmarshal(b, &n); err != nil {
		return NodeInfo{}, fmt.Errorf("%w: %w", ErrNodeInfo, err)
	}
	switch {
	case n.ID == "" || len(n.ID) > 200:
		return NodeInfo{}, fmt.Errorf("%w: no id", ErrNodeInfo)
	case len(n.Address) > 300:
		return NodeInfo{}, fmt.Errorf("%w: address over 300 bytes", ErrNodeInfo)
	case len(n.Captures) > maxNodeNames || len(n.Streams) > maxNodeNames:
		return NodeInfo{}, fmt.Errorf("%w: over %d names", ErrNodeInfo, maxNodeNames)
	}
	slices.Sort(n.Captures)
	slices.Sort(n.Streams)
	return n, nil
}
