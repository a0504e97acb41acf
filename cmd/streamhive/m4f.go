package main

import (
	"log/slog"
	"strings"

	"streamhive/actors/server"
	"streamhive/gateway/live"
	"streamhive/gateway/peer"
)

// newM4FHandler is the owner's side of m4f:// pulls: the streams the
// viewers' locator finds (a pull wakes an on-demand stream), checked
// against the running configuration's cluster_key.
func newM4FHandler(srv *server.Server, streams live.Locator, log *slog.Logger) *peer.M4F {
	return &peer.M4F{
		Streams: streams,
		Key:     func() string { return srv.Config().ClusterKey },
		Relayed: func(name string) bool { return relayed(srv, name) },
		Logger:  log,
	}
}

// relayed reports whether this node's stream name is a relay: an input
// of it pulls m4f:// from another node. Another node must pull from the
// owner instead, never through a relay.
func relayed(srv *server.Server, name string) bool {
	st, ok := srv.Config().Effective(name)
	if !ok {
		return false
	}
	for _, in := range st.Inputs {
		scheme, _, _ := strings.Cut(strings.ToLower(in.URL), "://")
		if scheme == "m4f" || scheme == "m4fs" {
			return true
		}
	}
	return false
}
