package listener

import (
	"context"
	"fmt"
	"net"
	"strings"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/protocols/srt"
)

// srtHooks implements srt.Hooks. Its methods run on connection goroutines.
type srtHooks struct {
	root   *actor.RootContext
	lookup func(name string) (*stream.Status, bool)
	stream string // a stream's own port: the only stream it feeds
}

// target is the stream a publisher asking for name feeds.
func (h *srtHooks) target(name media.StreamName) media.StreamName {
	if h.stream != "" {
		return media.StreamName(h.stream)
	}
	return name
}

// Admit refuses, during the handshake and from the streams directory
// alone, a publisher whose stream is not configured (REJX_NOTFOUND), not
// running (REJX_DOWN) or has no publish:// input (REJX_FORBIDDEN). Which
// input feeds the stream is the failover policy's choice, made after Publish.
func (h *srtHooks) Admit(name media.StreamName, _ net.Addr) error {
	name = h.target(name)
	st, ok := h.lookup(string(name))
	switch {
	case !ok:
		return srt.Reject(srt.ReasonNotFound, fmt.Errorf("stream %q: %w", name, ErrNoStream))
	case st == nil || st.PID == nil:
		return srt.Reject(srt.ReasonDown, fmt.Errorf("stream %q: %w", name, ErrStreamDown))
	case !hasPublishInput(st):
		return srt.Reject(srt.ReasonForbidden, fmt.Errorf("stream %q: %w", name, stream.ErrNoPublishInput))
	}
	return nil
}

func hasPublishInput(st *stream.Status) bool {
	for _, in := range st.Inputs {
		if strings.HasPrefix(in.URL, "publish://") {
			return true
		}
	}
	return false
}

// Publish hands the publication to the stream, as every listener does.
func (h *srtHooks) Publish(ctx context.Context, name media.StreamName, tracks []media.Track) (media.Sink, func(), error) {
	var peer net.Addr
	if info, ok := srt.PublishInfoFrom(ctx); ok {
		peer = info.Peer
	}
	p := publisher{root: h.root, lookup: h.lookup}
	return p.publish(ctx, h.target(name), tracks, peer)
}
