package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"time"

	gosrt "github.com/datarhei/gosrt"
)

// tick is how often a publisher wakes to send the chunks that fell due:
// sending in 5 ms batches keeps 50 publishers' timers cheap and is far
// finer than any receiver's jitter buffer.
const tick = 5 * time.Millisecond

// replay sends s in a loop to w at the pace of its PCRs until ctx is done,
// counting bytes sent.
func replay(ctx context.Context, s *sample, w io.Writer, sent *atomic.Int64) error {
	start := time.Now()
	t := time.NewTicker(tick)
	defer t.Stop()
	for loop := time.Duration(0); ; loop += s.length {
		for _, c := range s.chunks {
			for time.Since(start) < loop+c.at {
				select {
				case <-ctx.Done():
					return nil
				case <-t.C:
				}
			}
			if _, err := w.Write(c.data); err != nil {
				return err
			}
			sent.Add(int64(len(c.data)))
		}
	}
}

// writeCloser is what the TS publishers write chunks to: a UDP socket or
// an SRT connection.
type writeCloser = io.WriteCloser

// replayTo dials with dial and replays s until ctx ends.
func replayTo(ctx context.Context, s *sample, sent *atomic.Int64, dial func() (writeCloser, error)) error {
	w, err := dial()
	if err != nil {
		return err
	}
	defer func() { _ = w.Close() }()
	return replay(ctx, s, w, sent)
}

// dialUDP opens a UDP "connection" to a server's udp:// input.
func dialUDP(addr string) (io.WriteCloser, error) {
	return net.Dial("udp", addr)
}

// dialSRT connects as an SRT caller publishing to stream name through the
// server's srt_publish port.
func dialSRT(addr, name string) (io.WriteCloser, error) {
	cfg := gosrt.DefaultConfig()
	cfg.StreamId = fmt.Sprintf("#!::r=%s,m=publish", name)
	conn, err := gosrt.Dial("srt", addr, cfg)
	if err != nil {
		return nil, fmt.Errorf("srt dial %s: %w", addr, err)
	}
	return conn, nil
}
