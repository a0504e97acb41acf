package listener

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/auth"
	"streamhive/actors/push"
	"streamhive/media"
	"streamhive/protocols/rtsp"
)

// RTSPProps returns the Props of an RTSP listener actor (`rtsp PORT;`):
// encoders publishing to rtsp://HOST:PORT/NAME (ANNOUNCE and RECORD, RTP
// over TCP or UDP) feed stream NAME through its publish:// input. It
// answers GetAddr with its TCP address; the RTP/RTCP UDP pair is chosen
// free next to it and announced to publishers in SETUP.
func RTSPProps(cfg Config) *actor.Props { return rtspProps("rtsp", cfg, nil) }

// rtspProps is an RTSP listener named name (rtsp, rtsps), the name also
// being what the auth backend is told; tc nil serves plain RTSP.
func rtspProps(name string, cfg Config, tc *tls.Config) *actor.Props {
	return tcpProps(tcpKind{
		name:      name,
		closedErr: rtsp.ErrServerClosed,
		newServer: func(p *publisher, log *slog.Logger) tcpServer {
			return &rtsp.Server{Hooks: rtspHooks{p: p, proto: name}, Logger: log, TLSConfig: tc}
		},
	}, cfg)
}

// rtspHooks implements rtsp.Hooks and rtsp.Admitter. Its methods run on
// session goroutines. proto is what the auth backend is told: "rtsps"
// behind TLS, else "rtsp".
type rtspHooks struct {
	p     *publisher
	proto string
}

// Admit implements rtsp.Admitter: the stream's publish policy decides at
// ANNOUNCE, before any media, with the URL's query
// (rtsp://HOST/NAME?password=X) and the Basic credentials
// (rtsp://user:X@HOST/NAME) as the credentials. A publisher refused
// without having presented any is asked for them (401 with a Basic
// challenge); one refused with credentials gets 403.
func (h rtspHooks) Admit(ctx context.Context, name media.StreamName) error {
	if _, err := h.p.target(name); err != nil {
		return err
	}
	c := h.credentials(ctx, false)
	err := h.p.authorize(ctx, name, c)
	if errors.Is(err, ErrPublishDenied) && c.none(auth.TokenKeyOf(h.p.policies)) {
		return fmt.Errorf("%w: %w", rtsp.ErrUnauthorized, err)
	}
	return err
}

// Publish implements rtsp.Hooks; the RTSP server logs a refusal with the
// stream name and answers it with 403. Admit has decided the policy for
// this session (the server calls it first).
func (h rtspHooks) Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error) {
	return h.p.publish(ctx, name, tracks, h.credentials(ctx, true))
}

func (h rtspHooks) credentials(ctx context.Context, checked bool) credentials {
	c := credentials{proto: h.proto, checked: checked}
	if c.proto == "" {
		c.proto = "rtsp"
	}
	if info, ok := rtsp.PublishInfoFrom(ctx); ok {
		c.peer, c.query, c.password = info.Peer, info.Query, info.Password
	}
	return c
}

// Play implements rtsp.Player: a reader of rtsp://HOST/NAME is admitted
// by the session gate with the token of its URL's query and its
// User-Agent. Its frames come from the stream's shared ServerStream
// (Frames).
func (h rtspHooks) Play(ctx context.Context, name media.StreamName) (*rtsp.Viewing, error) {
	info, _ := rtsp.PublishInfoFrom(ctx)
	proto := h.proto
	if proto == "" {
		proto = "rtsp"
	}
	v, err := h.p.play(ctx, h.p.viewerOf(string(name), proto, info.Peer, info.Query, info.UserAgent), "")
	if err != nil {
		return nil, rtspRefusal(err)
	}
	return &rtsp.Viewing{Sent: v.ticket.Sent, Ended: v.ticket.Ended(), Close: v.close}, nil
}

// Frames implements rtsp.Player: one rendition of the stream, for all its
// RTSP readers.
func (h rtspHooks) Frames(ctx context.Context, name media.StreamName) (rtsp.Source, func(), error) {
	if h.p.viewers == nil {
		return nil, nil, rtspRefusal(errNoViewers)
	}
	c, err := h.p.viewers.Subscribe(ctx, string(name), "rtsp")
	if err != nil {
		return nil, nil, rtspRefusal(err)
	}
	return push.OneRendition(c), c.Close, nil
}

// rtspRefusal marks the refusals RTSP answers 404.
func rtspRefusal(err error) error {
	if errors.Is(err, ErrNoStream) || errors.Is(err, ErrStreamDown) || errors.Is(err, ErrProtocolOff) || errors.Is(err, errNoViewers) {
		return fmt.Errorf("%w: %w", rtsp.ErrNotFound, err)
	}
	return err
}
