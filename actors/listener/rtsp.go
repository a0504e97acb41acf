package listener

import (
	"context"
	"log/slog"
	"net"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/media"
	"streamhive/protocols/rtsp"
)

// RTSPProps returns the Props of an RTSP listener actor (`rtsp PORT;`):
// encoders publishing to rtsp://HOST:PORT/NAME (ANNOUNCE and RECORD, RTP
// over TCP or UDP) feed stream NAME through its publish:// input. It
// answers GetAddr with its TCP address; the RTP/RTCP UDP pair is chosen
// free next to it and announced to publishers in SETUP.
func RTSPProps(cfg Config) *actor.Props {
	return tcpProps(tcpKind{
		name:      "rtsp",
		closedErr: rtsp.ErrServerClosed,
		newServer: func(p *publisher, log *slog.Logger) tcpServer {
			return &rtsp.Server{Hooks: rtspHooks{p}, Logger: log}
		},
	}, cfg)
}

// rtspHooks implements rtsp.Hooks. Its methods run on session goroutines.
type rtspHooks struct{ p *publisher }

// Publish implements rtsp.Hooks; the RTSP server logs a refusal with the
// stream name and answers it with 403.
func (h rtspHooks) Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error) {
	var peer net.Addr
	if info, ok := rtsp.PublishInfoFrom(ctx); ok {
		peer = info.Peer
	}
	return h.p.publish(ctx, name, tracks, peer)
}
