// Package peer serves the endpoints other nodes of the cluster call on
// this one, under /streamhive/cluster/: each request carries the proof of
// the cluster key (cluster.KeyHeader) or is refused 403. m4f.go: a
// stream's frames for a node that relays it (the owner's side of
// protocols/m4f); dvr.go: this node's own recordings for the others'
// merged archives.
package peer
