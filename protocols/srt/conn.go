package srt

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	gosrt "github.com/datarhei/gosrt"

	"streamhive/media"
	"streamhive/protocols/mpegts"
)

// serverConn is one accepted publisher. Its fields are set before the
// connection's goroutine starts; cancel may be called from any goroutine.
type serverConn struct {
	conn   gosrt.Conn
	stats  *media.InputStats
	ctx    context.Context // done when the connection must end
	cancel context.CancelFunc
}

func newServerConn(conn gosrt.Conn) *serverConn {
	stats := new(media.InputStats)
	ctx := media.WithInputStats(context.Background(), stats)
	ctx = context.WithValue(ctx, publishInfoKey{}, PublishInfo{
		Peer: conn.RemoteAddr(), StreamID: conn.StreamId(), Stats: stats,
	})
	ctx, cancel := context.WithCancel(ctx)
	return &serverConn{conn: conn, stats: stats, ctx: ctx, cancel: cancel}
}

// serve demuxes the connection's MPEG-TS into the publication Hooks gives
// it, until the connection fails or ends (the peer closed, or went quiet
// past SRT's peer idle timeout) or the server cancels it. The publication
// is released and the connection closed before it returns.
func (c *serverConn) serve(name media.StreamName, hooks Hooks, log *slog.Logger) error {
	stop := context.AfterFunc(c.ctx, func() { _ = c.conn.Close() })
	var wg sync.WaitGroup
	wg.Go(func() { watchStats(c.ctx, c.conn, &c.stats.SRT) })

	var release func()
	watch := media.NewRevokeWatch(func() {
		log.Info("srt: the stream took the publication back (another publisher, or the input is gone): closing")
		c.cancel()
	})
	err := mpegts.Stream(c.ctx, c.conn, mpegts.Config{}, func(tracks []media.Track) (media.Sink, error) {
		watch.Stop() // publishing new tracks takes our own old sink back: no takeover
		sink, rel, err := hooks.Publish(c.ctx, name, tracks)
		if err != nil {
			return nil, fmt.Errorf("srt: stream %q: %w", name, err)
		}
		watch.Follow(sink)
		release = rel
		return sink, nil
	})
	watch.Stop()
	if release != nil {
		release()
	}
	stop()
	c.cancel()
	wg.Wait() // the last statistics are copied
	_ = c.conn.Close()
	return err
}
