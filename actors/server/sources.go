package server

import (
	"streamhive/actors/cluster"
	"streamhive/actors/config"
)

// startSources follows the configuration's `source` lines, if any: the
// streams their sources offer (as the lines' only/except let through)
// are served here as relays that pull m4f:// from the source, which the
// gateway's viewers locator opens (OpenRelay) for a viewer. A reload
// that adds the first `source` line takes a restart.
func (s *Server) startSources(cfg *config.Server, opts Options) {
	if len(cfg.Sources) == 0 {
		return
	}
	s.sources = cluster.NewSources(s.snapshot.Load, opts.Logger)
	s.sources.Start()
}

// Sources lists the sources that answer and the streams this node takes
// from each; nil without `source` lines.
func (s *Server) Sources() *cluster.Sources { return s.sources }

// Standalone is the probe answer of this node when it is in no cluster:
// another server's `source` line learns this node's streams from it,
// with this node's cluster_key. api is this node's HTTP base URL.
func (s *Server) Standalone(api string) cluster.Standalone {
	return cluster.Standalone{
		ID: s.sys.ID, API: api, Streams: s.offered, Load: s.load,
		Key: func() string { return s.snapshot.Load().ClusterKey },
	}
}
