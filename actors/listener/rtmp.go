// Package listener implements the protocol listener actors: one per
// configured port. Each owns a protocols/* server and implements its Hooks,
// turning a connection's requests into messages to the stream actors.
//
// RTMP, RTSP and SRT publishing: an encoder publishing to one of them feeds
// stream NAME through its publish:// input.
package listener

import (
	"context"
	"log/slog"
	"net"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/protocols/rtmp"
)

// Config configures one listener actor.
type Config struct {
	// Address is host:port to listen on; port 0 picks a free one (tests).
	Address string
	// Lookup finds a stream's latest status by name, lock-free (the
	// streams Directory). Required.
	Lookup func(name string) (*stream.Status, bool)
	// Listen opens the port. Nil means net.Listen; tests substitute
	// in-memory listeners.
	Listen func(network, address string) (net.Listener, error)
}

// RTMPProps returns the Props of an RTMP listener actor: encoders publishing
// to rtmp://HOST:PORT/live/NAME (or rtmp://HOST:PORT/NAME) feed stream NAME.
func RTMPProps(cfg Config) *actor.Props {
	return tcpProps(tcpKind{
		name:      "rtmp",
		closedErr: rtmp.ErrServerClosed,
		newServer: func(p *publisher, log *slog.Logger) tcpServer {
			return &rtmp.Server{Hooks: rtmpHooks{p}, Logger: log}
		},
	}, cfg)
}

// rtmpHooks implements rtmp.Hooks. Its methods run on connection goroutines.
type rtmpHooks struct{ p *publisher }

// Publish implements rtmp.Hooks; the RTMP server logs a refusal with the
// stream name and closes the connection.
func (h rtmpHooks) Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error) {
	var peer net.Addr
	if info, ok := rtmp.PublishInfoFrom(ctx); ok {
		peer = info.Peer
	}
	return h.p.publish(ctx, name, tracks, peer)
}
