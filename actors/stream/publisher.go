package stream

import (
	"log/slog"
	"strings"
)

// publishSlot is the stream's publish:// slot: which AcceptPublisher
// session holds it. It belongs to the stream actor.
type publishSlot struct {
	holder   uint64 // the session holding the slot; 0 when none
	sessions uint64 // numbers AcceptPublisher sessions
}

// onAcceptPublisher gives the publish:// input's slot to a publisher that
// came to us (see AcceptPublisher).
func (a *streamActor) onAcceptPublisher(m *AcceptPublisher) *AcceptPublisherReply {
	idx, ok := a.publishInput()
	if !ok {
		return &AcceptPublisherReply{Err: ErrNoPublishInput}
	}
	if a.publish.holder != 0 {
		a.log.Info("stream: a new publisher takes over", slog.String("peer", m.Peer))
	}
	if m.Stats != nil {
		a.inputs.slots[idx].status.Stats = m.Stats
	}
	sink := a.connect(idx, m.Tracks) // closes the previous publisher's sink
	a.publish.sessions++
	a.publish.holder = a.publish.sessions
	return &AcceptPublisherReply{Sink: sink, Session: a.publish.holder}
}

// onReleasePublisher ends a publication if it still holds the slot.
func (a *streamActor) onReleasePublisher(m *ReleasePublisher) {
	if m.Session == 0 || m.Session != a.publish.holder {
		return
	}
	a.publish.holder = 0
	if idx, ok := a.publishInput(); ok {
		a.disconnect(idx, "publisher disconnected")
	}
}

// publishInput returns the first publish:// input.
func (a *streamActor) publishInput() (int, bool) {
	for i, slot := range a.inputs.slots {
		if strings.HasPrefix(slot.status.URL, "publish://") {
			return i, true
		}
	}
	return 0, false
}
