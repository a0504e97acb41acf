package srt

import (
	"context"
	"fmt"
	"sync/atomic"

	"streamhive/protocols/mpegts"
)

// Pusher sends a stream as MPEG-TS to an SRT listener in caller mode, as
// in
//
//	push srt://cdn.example:9000 streamid="#!::r=live/cam1,m=publish" passphrase=0123456789;
//
// seven TS packets per SRT packet. Options are the input's (streamid,
// passphrase, latency, connect_timeout, pbkeylen), from the URL's query or
// the push's options. The zero value is ready; Push is safe for concurrent
// use.
type Pusher struct{}

// Push connects to url and sends src's frames until ctx ends, src ends
// (the stream stopped), the listener refuses or the connection breaks
// (the peer closed, or went quiet past SRT's peer idle timeout). It never
// retries. Bytes handed to SRT are counted into sent.
//
// gosrt queues at most 1024 packets per connection (about 1.3 MB) and
// fails a write beyond that: a push that cannot keep up breaks instead of
// buffering without bound.
func (Pusher) Push(ctx context.Context, url string, options map[string]string, src mpegts.Source,
	sent *atomic.Uint64,
) error {
	addr, cfg, err := dialConfig(url, options)
	if err != nil {
		return err
	}
	conn, closeConn, err := dial(ctx, addr, cfg)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("srt: push to %s: %w", addr, err)
	}
	defer closeConn()

	w := mpegts.CountingWriter{W: conn, Add: func(n int) {
		if sent != nil {
			sent.Add(uint64(n))
		}
	}}
	err = mpegts.PushTS(ctx, src, &mpegts.Datagrams{W: w})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("srt: push to %s: %w", addr, err)
}
