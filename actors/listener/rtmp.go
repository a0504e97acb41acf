// Package listener implements the protocol listener actors: one per
// configured port. Each owns a protocols/* server and implements its Hooks,
// turning a connection's requests into messages to the stream actors.
//
// RTMP, RTSP and SRT publishing: an encoder publishing to one of them feeds
// stream NAME through its publish:// input.
package listener

import (
	"context"
	"crypto/tls"
	"log/slog"
	"net"
	"strings"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/auth"
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
	// Policies decide who may publish (on_publish, password); nil: no
	// stream is protected.
	Policies auth.Policies
	// Dynamic creates the streams templates admit publishers to; nil:
	// publishers reach configured streams only.
	Dynamic Dynamic
	// Viewers serves play connections; nil: the listener takes
	// publishers only.
	Viewers Viewers
}

// RTMPProps returns the Props of an RTMP listener actor: encoders publishing
// to rtmp://HOST:PORT/live/NAME (or rtmp://HOST:PORT/NAME, or Flussonic's
// other forms: see Resolve) feed stream NAME.
func RTMPProps(cfg Config) *actor.Props { return rtmpProps("rtmp", cfg, nil) }

// rtmpProps is an RTMP listener named name (rtmp, rtmps), the name also
// being what the auth backend is told; tc nil serves plain RTMP.
func rtmpProps(name string, cfg Config, tc *tls.Config) *actor.Props {
	return tcpProps(tcpKind{
		name:      name,
		closedErr: rtmp.ErrServerClosed,
		newServer: func(p *publisher, log *slog.Logger) tcpServer {
			return &rtmp.Server{Hooks: rtmpHooks{p: p, proto: name}, Logger: log, TLSConfig: tc}
		},
	}, cfg)
}

// rtmpHooks implements rtmp.Hooks, rtmp.Admitter and rtmp.Resolver. Its methods run on
// connection goroutines. proto is what the auth backend is told: "rtmps"
// behind TLS (Flussonic's protocol names tell the two apart), else "rtmp".
type rtmpHooks struct {
	p     *publisher
	proto string
}

// Admit implements rtmp.Admitter: the stream's publish policy decides at
// the publish command, before any media; a refusal answers
// NetStream.Publish.Failed and closes the connection.
func (h rtmpHooks) Admit(ctx context.Context, name media.StreamName) error {
	return h.p.authorize(ctx, name, rtmpCredentials(ctx, h.proto, false))
}

// Publish implements rtmp.Hooks; the RTMP server logs a refusal with the
// stream name and closes the connection. Admit has run for this
// connection (the server calls it first), so the policy is not asked again.
func (h rtmpHooks) Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error) {
	return h.p.publish(ctx, name, tracks, rtmpCredentials(ctx, h.proto, true))
}

// rtmpCredentials reads a publisher's credentials: the query of the
// publish command's name (rtmp://HOST/live/NAME?password=X puts it there),
// else of the connect command's app (rtmp://HOST/NAME?password=X).
func rtmpCredentials(ctx context.Context, proto string, checked bool) credentials {
	if proto == "" {
		proto = "rtmp"
	}
	c := credentials{proto: proto, checked: checked}
	if info, ok := rtmp.PublishInfoFrom(ctx); ok {
		c.peer, c.query = info.Peer, rtmpQuery(info.App, info.Key)
	}
	return c
}

func rtmpQuery(app, key string) string {
	if _, q, ok := strings.Cut(key, "?"); ok {
		return q
	}
	_, q, _ := strings.Cut(app, "?")
	return q
}

// Play implements rtmp.Player: a viewer of rtmp://HOST/static/NAME (or
// any name form a publisher may use, resolved the same way) is admitted
// by the session gate with the token of the play command's query (or the
// connect app's) and flashVer as its user agent, then gets one rendition
// of the stream.
func (h rtmpHooks) Play(ctx context.Context, name media.StreamName) (*rtmp.Viewing, error) {
	info, _ := rtmp.PublishInfoFrom(ctx)
	proto := h.proto
	if proto == "" {
		proto = "rtmp"
	}
	v, err := h.p.play(ctx, h.p.viewerOf(string(name), proto, info.Peer, rtmpQuery(info.App, info.Key), info.FlashVer), "rtmp")
	if err != nil {
		return nil, err
	}
	return &rtmp.Viewing{Source: v.src, Sent: v.ticket.Sent, Ended: v.ticket.Ended(), Close: v.close}, nil
}
