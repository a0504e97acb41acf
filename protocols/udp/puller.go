package udp

import (
	"context"
	"fmt"

	"streamhive/media"
	"streamhive/protocols/mpegts"
)

// Puller implements udp:// inputs (actors/input.Puller). One Puller
// serves any number of concurrent pulls.
type Puller struct {
	// ReadBuffer is the socket receive buffer to ask for, in bytes; 0
	// means 8 MiB.
	ReadBuffer int
}

// Pull receives the source url names, demuxes it with mpegts.Stream
// (program and PID selection from options) and writes its frames to the
// sink publish returns, until ctx is done (it returns ctx.Err()) or the
// demux fails. A source that goes quiet does not end the pull: the
// stream's source timeout does. Counts go to media.InputStatsFrom(ctx).
func (p Puller) Pull(ctx context.Context, url string, options map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	src, err := ParseURL(url)
	if err != nil {
		return err
	}
	cfg, err := mpegts.ParseOptions(options)
	if err != nil {
		return err
	}
	conn, err := listen(ctx, src, p.ReadBuffer)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close() }()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	err = mpegts.Stream(ctx, newDatagrams(conn, media.InputStatsFrom(ctx)), cfg, publish)
	if ctx.Err() == nil {
		err = fmt.Errorf("udp: %s: %w", src.Addr, err)
	}
	return err
}
