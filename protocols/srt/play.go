package srt

import (
	"context"
	"io"
	"log/slog"
	"net"
	"sync"

	"streamhive/media"
	"streamhive/protocols/mpegts"
)

// Player serves the callers that ask to play: m=request in the streamid,
// or any caller of a play-only port (Server.PlayOnly). The listener actor
// implements it.
type Player interface {
	// AdmitPlay decides during the handshake whether the caller may play
	// req.Name and returns what serves it once the connection is
	// accepted. An error refuses the caller with the rejection reason it
	// carries (see Reject; ReasonForbidden for a plain error). ctx ends
	// before the caller's connect timeout.
	AdmitPlay(ctx context.Context, req PlayRequest) (Play, error)
}

// PlayRequest is a caller that asks to play.
type PlayRequest struct {
	Name media.StreamName // the streamid's r= (or the whole plain streamid); may be empty
	Peer net.Addr
	ID   StreamID // the parsed streamid: u= (a token), a= (a user agent)
}

// Play is one admitted viewer.
type Play interface {
	// Serve writes the stream's MPEG-TS to w, whole TS packets per Write,
	// until ctx ends (the server closes) or a write fails (the caller
	// left, or cannot keep up), and returns why it stopped. The server
	// cuts what it writes into SRT payloads.
	Serve(ctx context.Context, w io.Writer) error
	// Close releases the viewer. The server calls it exactly once,
	// whether Serve ran or not.
	Close()
}

// payloads writes each Write's bytes as SRT payloads of at most seven TS
// packets (1316 bytes, what players and set-top boxes expect), without
// holding any back: a part's last packets leave with it.
type payloads struct{ w io.Writer }

func (p payloads) Write(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		c := min(len(b), mpegts.DatagramSize)
		if _, err := p.w.Write(b[:c]); err != nil {
			return n, err
		}
		n += c
		b = b[c:]
	}
	return n, nil
}

// servePlay runs an admitted viewer until it leaves, fails or the server
// cancels it, then closes the connection.
func (c *serverConn) servePlay(play Play, log *slog.Logger) error {
	stop := context.AfterFunc(c.ctx, func() { _ = c.conn.Close() })
	defer stop()
	// A viewer sends no payload; its read ends when the connection does
	// (the caller closed it, or went quiet past SRT's peer idle timeout),
	// which ends Serve even while the stream sends nothing.
	var wg sync.WaitGroup
	wg.Go(func() {
		buf := make([]byte, mpegts.DatagramSize)
		for {
			if _, err := c.conn.Read(buf); err != nil {
				c.cancel()
				return
			}
		}
	})
	err := play.Serve(c.ctx, payloads{w: c.conn})
	c.cancel()
	_ = c.conn.Close()
	wg.Wait()
	log.Debug("srt: viewer served", slog.Any("err", err))
	return err
}
