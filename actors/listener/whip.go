package listener

import (
	"context"
	"fmt"
	"net"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/protocols/whip"
)

// Publisher is the publish path for publishers that do not come through a
// listener actor of ours: WHIP offers arrive at the HTTP gateway, and the
// protocols/whip server that terminates them calls this. It is the same
// path RTMP, RTSP and SRT publishers take. Safe for concurrent use; its
// methods run on the caller's goroutine and ask the stream actor with the
// caller's deadline.
type Publisher struct{ p publisher }

var _ whip.Hooks = (*Publisher)(nil)

// NewPublisher returns a Publisher that finds streams with lookup (the
// streams Directory, lock-free) and asks them through root.
func NewPublisher(root *actor.RootContext, lookup func(name string) (*stream.Status, bool)) *Publisher {
	return &Publisher{p: publisher{root: root, lookup: lookup}}
}

// Admit refuses, from the streams directory alone and without a message,
// a publisher whose stream is not configured (ErrNoStream), not running
// (ErrStreamDown) or has no publish:// input (stream.ErrNoPublishInput).
func (p *Publisher) Admit(name media.StreamName, _ net.Addr) error {
	st, ok := p.p.lookup(string(name))
	switch {
	case !ok:
		return fmt.Errorf("stream %q: %w", name, ErrNoStream)
	case st == nil || st.PID == nil:
		return fmt.Errorf("stream %q: %w", name, ErrStreamDown)
	case !hasPublishInput(st):
		return fmt.Errorf("stream %q: %w", name, stream.ErrNoPublishInput)
	}
	return nil
}

// Publish hands a publication to stream name: see publisher.publish. The
// counters ctx carries (media.WithInputStats) become the publish://
// input's stats while this publisher holds the slot.
func (p *Publisher) Publish(ctx context.Context, name media.StreamName, tracks []media.Track, peer net.Addr) (media.Sink, func(), error) {
	return p.p.publish(ctx, name, tracks, peer)
}
