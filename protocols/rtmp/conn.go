package rtmp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	gortmp "github.com/yutopp/go-rtmp"
	"github.com/yutopp/go-rtmp/message"

	"streamhive/media"
)

// serverConn is one publisher's connection. go-rtmp calls its Handler
// methods from the connection's goroutine, one at a time; close may also be
// called by Server.Close.
type serverConn struct {
	gortmp.DefaultHandler

	srv    *Server
	nc     *countingConn
	log    *slog.Logger
	stats  media.InputStats
	ctx    context.Context
	cancel context.CancelFunc

	// lib is go-rtmp's connection, which a viewer's messages are written
	// through; set by OnServe, before any command.
	lib *gortmp.Conn

	// Touched only by the connection's goroutine.
	app      string
	flashVer string
	playing  bool
	key      string
	name     media.StreamName
	ing      *ingest
	release  func()
	scratch  []byte
	lens     mediaLens // the guard's media message lengths (payload.go)

	closeOnce sync.Once
}

func newServerConn(s *Server, nc net.Conn, timeout time.Duration, log *slog.Logger) *serverConn {
	c := &serverConn{srv: s, log: log}
	c.nc = &countingConn{Conn: nc, timeout: timeout, stats: &c.stats, pace: newReadPacer(nc, time.Now())}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	return c
}

// close ends the connection from outside go-rtmp's loop (Server.Close).
func (c *serverConn) close() {
	_ = c.nc.Close()
}

// OnServe keeps go-rtmp's connection for a viewer's writes.
func (c *serverConn) OnServe(conn *gortmp.Conn) { c.lib = conn }

// OnConnect remembers the app the client connects to, and its flashVer
// (a player's user agent).
func (c *serverConn) OnConnect(_ uint32, cmd *message.NetConnectionConnect) error {
	c.app, c.flashVer = cmd.Command.App, cmd.Command.FlashVer
	return nil
}

// OnPublish resolves the stream name (StreamNames, then the Hooks'
// Resolver). The Hooks are asked once the tracks are known, in the ingest.
func (c *serverConn) OnPublish(_ *gortmp.StreamContext, _ uint32, cmd *message.NetStreamPublish) error {
	if c.ing != nil {
		return errors.New("rtmp: second publish on one connection")
	}
	c.key = cmd.PublishingName
	c.name = resolve(c.srv.Hooks, StreamNames(c.app, c.key))
	c.log = c.log.With("stream", string(c.name))
	if c.name == "" {
		c.log.Warn("rtmp: publish refused: no stream name", "app", cutQuery(c.app))
		return errors.New("rtmp: no stream name")
	}
	// Neither the key nor a query is logged: the key may be the
	// encoder's secret stream key, a query may carry password= or token=.
	c.log.Info("rtmp: publisher connected", "app", cutQuery(c.app))
	if a, ok := c.srv.Hooks.(Admitter); ok {
		if err := a.Admit(c.hooksContext(), c.name); err != nil {
			c.log.Warn("rtmp: publish refused", "err", err)
			return fmt.Errorf("%w: %w", errPublishRefused, err)
		}
	}
	c.ing = newIngest(&c.stats, c.publish)
	return nil
}

// hooksContext is the context of a Hooks call: the connection's, with its
// counters and PublishInfo.
func (c *serverConn) hooksContext() context.Context {
	return context.WithValue(media.WithInputStats(c.ctx, &c.stats), publishInfoKey{}, PublishInfo{
		Peer: c.nc.RemoteAddr(), App: c.app, Key: c.key, FlashVer: c.flashVer, Stats: &c.stats,
	})
}

// publish asks the Hooks to accept the publisher.
func (c *serverConn) publish(tracks []media.Track) (media.Sink, error) {
	sink, release, err := c.srv.Hooks.Publish(c.hooksContext(), c.name, tracks)
	if err != nil {
		c.log.Warn("rtmp: publish refused", "err", err)
		return nil, fmt.Errorf("%w: %w", errPublishRefused, err)
	}
	watch := media.NewRevokeWatch(func() {
		c.log.Info("rtmp: the stream took the publication back (another publisher, or the input is gone): closing")
		_ = c.nc.Close()
	})
	watch.Follow(sink)
	c.release = func() { watch.Stop(); release() }
	c.log.Info("rtmp: publishing", "tracks", describeTracks(tracks))
	return sink, nil
}

func (c *serverConn) OnVideo(ts uint32, payload io.Reader) error {
	if c.ing == nil {
		return nil
	}
	buf, err := c.copyPayload(msgVideo, ts, payload)
	if err != nil {
		return err
	}
	return c.fail(c.ing.onVideo(ts, buf))
}

func (c *serverConn) OnAudio(ts uint32, payload io.Reader) error {
	if c.ing == nil {
		return nil
	}
	buf, err := c.copyPayload(msgAudio, ts, payload)
	if err != nil {
		return err
	}
	return c.fail(c.ing.onAudio(ts, buf))
}

// fail logs the error that ends an ingest; go-rtmp then closes the
// connection.
func (c *serverConn) fail(err error) error {
	if err != nil && !errors.Is(err, errPublishRefused) {
		c.log.Warn("rtmp: closing publisher", "err", err)
	}
	return err
}

// errPublishRefused wraps a Hooks refusal, which publish has logged
// already.
var errPublishRefused = errors.New("rtmp: publish refused")

// OnClose runs once when go-rtmp closes the connection.
func (c *serverConn) OnClose() {
	c.closeOnce.Do(func() {
		c.cancel()
		if c.release != nil {
			c.release()
		}
		c.srv.forget(c)
		c.log.Info("rtmp: connection closed",
			"bytes", c.stats.Bytes.Load(), "frames", c.stats.Frames.Load(), "errors", c.stats.Errors.Load())
	})
}

func describeTracks(tracks []media.Track) string {
	s := ""
	for i, t := range tracks {
		if i > 0 {
			s += ", "
		}
		if t.Codec.Kind() == media.KindVideo {
			s += fmt.Sprintf("%s %dx%d", t.Codec, t.Width, t.Height)
		} else {
			s += fmt.Sprintf("%s %dHz %dch", t.Codec, t.SampleRate, t.Channels)
		}
	}
	return s
}

// countingConn counts bytes read into stats, and written into written
// (a viewer's session takes them), and gives each Read a deadline, so
// that a silent peer is dropped. With a pacer its reads wait for a steady
// stream's bytes to gather in the socket (readPacer).
type countingConn struct {
	net.Conn
	timeout time.Duration
	stats   *media.InputStats
	written atomic.Uint64
	pace    *readPacer // nil: every read returns what has arrived
}

func (c *countingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.written.Add(uint64(n))
	return n, err
}

func (c *countingConn) Read(b []byte) (int, error) {
	start := time.Now()
	if c.pace.holding() {
		n, err := c.read(b, start.Add(min(paceHold, c.timeout)))
		if !isTimeout(err) {
			c.pace.observe(n, start)
			return n, err
		}
		// The stream slowed below its mark: take what is there.
		c.pace.release(time.Now())
	}
	n, err := c.read(b, start.Add(c.timeout))
	if c.pace != nil {
		c.pace.observe(n, start)
	}
	return n, err
}

func (c *countingConn) read(b []byte, deadline time.Time) (int, error) {
	if err := c.SetReadDeadline(deadline); err != nil {
		return 0, err
	}
	n, err := c.Conn.Read(b)
	c.stats.Bytes.Add(uint64(n))
	return n, err
}
