package main

import (
	"context"
	"io"
	"net"

	"streamhive/actors/listener"
	"streamhive/gateway/play"
	"streamhive/media"
)

// playTSPublish adapts the listener's publish path to play.TSPublish (HTTP
// MPEG-TS publishing at POST /NAME/mpegts): the refusals become play's
// sentinels as WHIP's do.
type playTSPublish struct{ pub *listener.Publisher }

var _ play.TSPublish = playTSPublish{}

// Publish implements play.TSPublish.
func (p playTSPublish) Publish(ctx context.Context, name string, body io.ReadCloser, peer net.Addr) error {
	c := play.CredentialsFrom(ctx)
	ctx = listener.WithPublishCredentials(ctx, c.Query, c.Authorization)
	return whipError(p.pub.PublishMPEGTS(ctx, media.StreamName(name), body, peer))
}
