package listener

import (
	"context"
	"log/slog"

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
			return &rtsp.Server{Hooks: rtspHooks{p: p}, Logger: log}
		},
	}, cfg)
}

// rtspHooks implements rtsp.Hooks. Its methods run on session goroutines.
// proto is what the auth backend is told: "rtsps" behind TLS, else "rtsp".
type rtspHooks struct {
	p     *publisher
	proto string
}

// Publish implements rtsp.Hooks; the RTSP server logs a refusal with the
// stream name and answers it with 403.
//
// The stream's publish policy decides here, at ANNOUNCE, with the URL's
// query as the credentials (rtsp://HOST/NAME?password=X); a refusal is
// that 403.
func (h rtspHooks) Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error) {
	c := credentials{proto: h.proto}
	if c.proto == "" {
		c.proto = "rtsp"
	}
	if info, ok := rtsp.PublishInfoFrom(ctx); ok {
		c.peer, c.query = info.Peer, info.Query
	}
	return h.p.publish(ctx, name, tracks, c)
}
