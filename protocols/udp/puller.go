package udp

import (
	"context"
	"fmt"
	"net"

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
	err = mpegts.Stream(ctx, datagrams{conn}, cfg, publish)
	if ctx.Err() == nil {
		err = fmt.Errorf("udp: %s: %w", src.Addr, err)
	}
	return err
}

// datagrams reads one datagram per Read, without its RTP header when it
// has one, skipping empty datagrams.
type datagrams struct{ conn *net.UDPConn }

func (d datagrams) Read(p []byte) (int, error) {
	for {
		n, err := d.conn.Read(p)
		if err != nil {
			return 0, err
		}
		ts := stripRTP(p[:n])
		if len(ts) == 0 {
			continue
		}
		return copy(p, ts), nil
	}
}
