package listener

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"

	"streamhive/media"
	"streamhive/protocols/mpegts"
)

// protoMPEGTS is the auth request's protocol name of an HTTP MPEG-TS
// publisher, as Flussonic names its HTTP MPEG-TS sessions.
const protoMPEGTS = "mpegts"

// PublishMPEGTS takes an HTTP MPEG-TS publisher (POST /NAME/mpegts at the
// gateway): body is its request body. It refuses, before reading body,
// what Admit refuses, with the credentials ctx carries
// (WithPublishCredentials) under the auth protocol "mpegts"; then it
// demuxes body into stream name through the same publish path as every
// listener, until body ends or fails, ctx ends, or the stream takes the
// publication back (another publisher). It closes body to stop a blocked
// read in the last two cases.
func (p *Publisher) PublishMPEGTS(ctx context.Context, name media.StreamName, body io.ReadCloser, peer net.Addr) error {
	if err := p.p.publishable(name); err != nil {
		return err
	}
	c, _ := ctx.Value(publishCredentialsKey{}).(credentials)
	c.proto, c.peer = protoMPEGTS, peer
	if err := p.p.authorize(ctx, name, c); err != nil {
		return err
	}
	c.checked = true
	parent := ctx
	ctx, cancel := context.WithCancel(media.WithInputStats(ctx, new(media.InputStats)))
	defer cancel()
	stop := context.AfterFunc(ctx, func() { _ = body.Close() })
	defer stop()
	watch := media.NewRevokeWatch(cancel)
	var release func()
	err := mpegts.Stream(ctx, body, mpegts.Config{}, func(tracks []media.Track) (media.Sink, error) {
		watch.Stop() // publishing new tracks takes our own old sink back: no takeover
		sink, rel, err := p.p.publish(ctx, name, tracks, c)
		if err != nil {
			return nil, fmt.Errorf("mpegts: stream %q: %w", name, err)
		}
		watch.Follow(sink)
		release = rel
		return sink, nil
	})
	watch.Stop()
	if release != nil {
		release()
	}
	if err != nil && parent.Err() == nil && ctx.Err() != nil {
		return errTakenBack // the watch's cancel, not the caller's
	}
	return err
}

// errTakenBack: the stream gave the publication to another publisher.
var errTakenBack = errors.New("listener: the stream took the publication back")
