package listener

import (
	"context"
	"fmt"
	"net"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit"
	"streamhive/actors/stream"
	"streamhive/media"
)

// publisher is the one path by which every protocol listener hands a
// connection's publication to a stream. Its methods run on connection
// goroutines and ask the stream actor with the connection's deadline.
type publisher struct {
	root   *actor.RootContext
	lookup func(name string) (*stream.Status, bool)
}

// publish asks stream name's actor for its publisher slot and returns where
// to write frames and the func that releases the slot. The refusal reasons
// (no such stream, stream not running, no publish:// input) come back as
// errors naming the stream; each protocol server logs and answers them in
// its own terms.
func (p *publisher) publish(ctx context.Context, name media.StreamName, tracks []media.Track, peer net.Addr) (media.Sink, func(), error) {
	st, ok := p.lookup(string(name))
	if !ok {
		return nil, nil, fmt.Errorf("stream %q: %w", name, ErrNoStream)
	}
	if st == nil || st.PID == nil {
		return nil, nil, fmt.Errorf("stream %q: %w", name, ErrStreamDown)
	}
	req := &stream.AcceptPublisher{Tracks: tracks, Stats: media.InputStatsFrom(ctx)}
	if peer != nil {
		req.Peer = peer.String()
	}
	rep, err := kit.Ask[*stream.AcceptPublisherReply](ctx, p.root, st.PID, req)
	if err == nil {
		err = rep.Err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("stream %q: %w", name, err)
	}
	pid, session := st.PID, rep.Session
	release := func() { p.root.Send(pid, &stream.ReleasePublisher{Session: session}) }
	return rep.Sink, release, nil
}
