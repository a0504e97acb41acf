// Package clusterdvr serves the archive of a `cluster_ingest` stream as
// one: the capture moves between nodes, each node records what it
// captured on its own disks, and any node playing the stream's archive
// (playback's archive URLs, the Control API's ranges and exports) shows
// the union of its own recording and every other alive member's, read
// over the members' inter-node DVR endpoints (media/dvr/remote,
// gateway/peer).
package clusterdvr

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"streamhive/actors/cluster"
	"streamhive/media/dvr"
	"streamhive/media/dvr/remote"
)

// Options configure Archives.
type Options struct {
	// View is the cluster as this node sees it. Required.
	View cluster.View
	// Key returns the cluster key in force: every call carries its proof.
	Key func() string
	// Clustered reports whether a stream configured here is a
	// `cluster_ingest` stream with a `dvr` line: only those are merged.
	Clustered func(stream string) bool
	// Protects reports whether this node protects stream itself (its drm
	// line encrypts what it plays): the reads say so, and the owner of a
	// protected stream refuses any read that does not, so no member's
	// clear recording reaches a node that would play it clear. nil: none.
	Protects func(stream string) bool
	// Client makes the calls to the members; http.DefaultClient when nil.
	Client *http.Client
	// Refresh, Timeout, FirstWait: remote.Options' (how often a remote
	// list of records is fetched while it is played, the bound of one
	// call, of the first read's wait for the first list); zero: defaults.
	Refresh, Timeout, FirstWait time.Duration
}

// Archives hands out the union archives. Safe for concurrent use.
type Archives struct {
	opt Options

	mu      sync.Mutex
	remotes map[remoteKey]*remote.Archive
	members string // the member IDs remotes were last pruned against
}

// remoteKey is one member's recording of one stream.
type remoteKey struct{ member, stream string }

// New returns the Archives of opt.
func New(opt Options) *Archives {
	if opt.Client == nil {
		opt.Client = http.DefaultClient
	}
	return &Archives{opt: opt, remotes: map[remoteKey]*remote.Archive{}}
}

// Archive returns the archive of stream that this node serves, given
// local, its own recording (nil when it records none: a relay): the
// union of local and every other alive member's recording for a
// clustered stream; nil otherwise (the caller serves local as it is).
// The union reads the members at every call, so members that join or
// leave need no new archive.
func (c *Archives) Archive(stream string, local dvr.Archive) dvr.Archive {
	if c == nil || c.opt.Clustered == nil || !c.opt.Clustered(stream) {
		return nil
	}
	return dvr.NewUnion(func() []dvr.Part { return c.parts(stream, local) })
}

// parts is this node's recording (first: ties go to it) and each other
// alive member's.
func (c *Archives) parts(stream string, local dvr.Archive) []dvr.Part {
	members := c.opt.View.Members()
	out := make([]dvr.Part, 0, len(members))
	if local != nil {
		out = append(out, dvr.Part{Name: c.opt.View.Self().ID, Archive: local})
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.prune(members)
	for _, m := range members {
		if m.Self || m.API == "" {
			continue
		}
		out = append(out, dvr.Part{Name: m.ID, Archive: c.remote(m, stream)})
	}
	return out
}

// remote returns m's recording of stream, made on first use. c.mu is
// held.
func (c *Archives) remote(m cluster.Member, stream string) *remote.Archive {
	k := remoteKey{m.ID, stream}
	if r, ok := c.remotes[k]; ok {
		return r
	}
	r := remote.New(remote.Options{
		Base: strings.TrimSuffix(m.API, "/"), Stream: stream, Header: cluster.KeyHeader,
		Proof:    func() string { return cluster.KeyProof(c.opt.Key(), time.Now()) },
		Protects: func() bool { return c.opt.Protects != nil && c.opt.Protects(stream) },
		Client:   c.opt.Client, Refresh: c.opt.Refresh, Timeout: c.opt.Timeout, FirstWait: c.opt.FirstWait,
	})
	c.remotes[k] = r
	return r
}

// prune closes the remote archives of members that left, when the
// membership changed since the last call. c.mu is held.
func (c *Archives) prune(members []cluster.Member) {
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.ID
	}
	joined := strings.Join(ids, ",")
	if joined == c.members {
		return
	}
	c.members = joined
	for k, r := range c.remotes {
		if !slices.Contains(ids, k.member) {
			r.Close()
			delete(c.remotes, k)
		}
	}
}

// Close stops every remote archive's refreshes.
func (c *Archives) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, r := range c.remotes {
		r.Close()
		delete(c.remotes, k)
	}
}
