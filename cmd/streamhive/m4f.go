package main

import (
	"log/slog"

	"streamhive/actors/server"
	"streamhive/gateway/live"
	"streamhive/gateway/peer"
)

// newM4FHandler is the owner's side of m4f:// pulls: the streams the
// viewers' locator finds (a pull wakes an on-demand stream), checked
// against the running configuration's cluster_key; a protected stream's
// frames go only to a node that protects it itself (drm.go).
func newM4FHandler(srv *server.Server, streams live.Locator, log *slog.Logger) *peer.M4F {
	return &peer.M4F{
		Streams:   streams,
		Key:       func() string { return srv.Config().ClusterKey },
		Relayed:   srv.Relayed,
		Pulling:   srv.Pulling,
		Protected: protectedM4F(srv), // drm.go
		Logger:    log,
	}
}
