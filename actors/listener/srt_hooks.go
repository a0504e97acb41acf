package listener

import (
	"context"
	"errors"
	"log/slog"
	"net"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/auth"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/protocols/srt"
)

// srtHooks implements srt.Hooks. Its methods run on connection goroutines.
type srtHooks struct {
	root     *actor.RootContext
	lookup   func(name string) (*stream.Status, bool)
	policies auth.Policies
	dynamic  Dynamic      // nil: no stream is created for a publisher
	stream   string       // a stream's own port: the only stream it feeds
	log      *slog.Logger // nil: slog.Default()
}

func (h *srtHooks) publisher() *publisher {
	return &publisher{root: h.root, lookup: h.lookup, policies: h.policies, dynamic: h.dynamic, log: h.log}
}

// target is the stream a publisher asking for name feeds.
func (h *srtHooks) target(name media.StreamName) media.StreamName {
	if h.stream != "" {
		return media.StreamName(h.stream)
	}
	return name
}

// Admit refuses, during the handshake, a publisher whose stream is not
// configured (REJX_NOTFOUND), not running (REJX_DOWN), has no publish://
// input (REJX_FORBIDDEN, from the streams directory alone) or whose
// publish policy refuses the streamid's password= (REJX_FORBIDDEN). Which
// input feeds the stream is the failover policy's choice, made after Publish.
func (h *srtHooks) Admit(ctx context.Context, name media.StreamName, peer net.Addr) error {
	p, name := h.publisher(), h.target(name)
	if err := p.publishable(name); err != nil {
		switch {
		case errors.Is(err, ErrNoStream):
			return srt.Reject(srt.ReasonNotFound, err)
		case errors.Is(err, stream.ErrNoPublishInput):
			return srt.Reject(srt.ReasonForbidden, err)
		}
		return srt.Reject(srt.ReasonDown, err)
	}
	c := credentials{proto: "srt", peer: peer}
	if info, ok := srt.PublishInfoFrom(ctx); ok {
		id, _ := srt.ParseStreamID(info.StreamID)
		c.password = id.Password
	}
	if err := p.authorize(ctx, name, c); err != nil {
		return srt.Reject(srt.ReasonForbidden, err)
	}
	return nil
}

// Publish hands the publication to the stream, as every listener does.
// Admit has decided the policy during the handshake (the server calls it
// first), so it is not asked again.
func (h *srtHooks) Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error) {
	c := credentials{proto: "srt", checked: true}
	if info, ok := srt.PublishInfoFrom(ctx); ok {
		c.peer = info.Peer
	}
	return h.publisher().publish(ctx, h.target(name), tracks, c)
}
