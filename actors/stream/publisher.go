package stream

import (
	"log/slog"
	"strings"

	"github.com/asynkron/protoactor-go/actor"
)

// onAcceptPublisher gives the publish:// input's slot to a publisher that
// came to us (see AcceptPublisher).
func (a *streamActor) onAcceptPublisher(ctx actor.Context, m *AcceptPublisher) *AcceptPublisherReply {
	idx, ok := a.publishSlot()
	if !ok {
		return &AcceptPublisherReply{Err: ErrNoPublishInput}
	}
	if a.publisher != 0 {
		ctx.Logger().Info("stream: a new publisher takes over", slog.String("stream", a.cfg.Stream.Name),
			slog.String("peer", m.Peer))
	}
	if m.Stats != nil {
		a.inputs.slots[idx].status.Stats = m.Stats
	}
	sink := a.connect(idx, m.Tracks) // closes the previous publisher's sink
	a.sessions++
	a.publisher = a.sessions
	return &AcceptPublisherReply{Sink: sink, Session: a.publisher}
}

// onReleasePublisher ends a publication if it still holds the slot.
func (a *streamActor) onReleasePublisher(m *ReleasePublisher) {
	if m.Session == 0 || m.Session != a.publisher {
		return
	}
	a.publisher = 0
	if idx, ok := a.publishSlot(); ok {
		a.disconnect(idx, "publisher disconnected")
	}
}

// publishSlot returns the first publish:// input.
func (a *streamActor) publishSlot() (int, bool) {
	for i, slot := range a.inputs.slots {
		if strings.HasPrefix(slot.status.URL, "publish://") {
			return i, true
		}
	}
	return 0, false
}
