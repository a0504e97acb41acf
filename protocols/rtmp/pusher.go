package rtmp

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/yutopp/go-rtmp/handshake"

	"streamhive/media"
	"streamhive/media/hub"
)

// Source is what a push reads: a hub consumer (*hub.Consumer). Read is
// called from one goroutine; Tracks describes the frame Read returned last.
type Source interface {
	Read(ctx context.Context) (*media.Frame, error)
	Tracks() *hub.Tracks
}

// Pusher publishes a stream to an RTMP server (`push rtmp://HOST/APP/KEY`,
// or `rtmps://` over TLS): a CDN ingest, another origin, ffmpeg -listen.
// The zero value works; Push is safe for concurrent use (fields are read
// only).
type Pusher struct {
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Timeout bounds connecting, the handshake and the commands, and each
	// write after that. Default 10 s.
	Timeout time.Duration
	// TLS is the client configuration for rtmps://; nil means the system
	// roots and the URL's host as the server name.
	TLS *tls.Config
}

// Push waits for src's first frame, connects to url, publishes and sends
// H.264 and AAC frames (other codecs are left out) until ctx ends (it
// returns ctx.Err()), src ends (hub.ErrClosed: the stream stopped), the
// server refuses or ends the publication, or the connection fails. It
// never retries. Bytes written to the connection are counted into sent.
// No options are used yet.
func (p *Pusher) Push(ctx context.Context, rawURL string, _ map[string]string, src Source,
	sent *atomic.Uint64,
) error {
	target, err := parsePushURL(rawURL)
	if err != nil {
		return err
	}
	first, err := src.Read(ctx)
	if err != nil {
		return err
	}
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = defaultPullTimeout
	}
	log := p.Logger
	if log == nil {
		log = slog.Default()
	}
	log = log.With("proto", "rtmp", "url", target.redacted)

	nc, err := p.dial(ctx, target, timeout)
	if err != nil {
		return err
	}
	conn := &sentConn{Conn: nc, sent: sent}
	runCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop := context.AfterFunc(runCtx, func() { _ = nc.Close() })
	defer stop()
	defer func() { _ = nc.Close() }() // closed already on most paths

	pw, r, err := publish(conn, target, timeout)
	if err != nil {
		return fmt.Errorf("rtmp: push to %s: %w", target.redacted, err)
	}
	log.Info("rtmp: publishing")
	readDone := make(chan struct{})
	go func() {
		defer close(readDone)
		cancel(readPushReplies(r, pw))
	}()
	err = sendFrames(runCtx, pw, src, first)
	cancel(err)
	_ = nc.Close()
	<-readDone
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if cause := context.Cause(runCtx); cause != nil && !errors.Is(cause, context.Canceled) {
		err = cause // the reader saw why first: the server ended the publication
	}
	return fmt.Errorf("rtmp: push to %s: %w", target.redacted, err)
}

// dial opens the TCP (or TLS, for rtmps://) connection.
func (p *Pusher) dial(ctx context.Context, t pushTarget, timeout time.Duration) (net.Conn, error) {
	d := net.Dialer{Timeout: timeout}
	if !t.tls {
		nc, err := d.DialContext(ctx, "tcp", t.host)
		if err != nil {
			return nil, fmt.Errorf("rtmp: dial %s: %w", t.host, err)
		}
		return nc, nil
	}
	cfg := p.TLS.Clone()
	if cfg == nil {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if cfg.ServerName == "" {
		cfg.ServerName, _, _ = net.SplitHostPort(t.host)
	}
	td := tls.Dialer{NetDialer: &d, Config: cfg}
	nc, err := td.DialContext(ctx, "tcp", t.host)
	if err != nil {
		return nil, fmt.Errorf("rtmp: dial %s over TLS: %w", t.host, err)
	}
	return nc, nil
}

// pushTarget is a parsed rtmp:// or rtmps:// push URL.
type pushTarget struct {
	host     string // host:port
	tls      bool
	app, key string // key: the stream name, query included
	tcURL    string
	redacted string // for logs and errors: no stream key
}

// parsePushURL reads rtmp[s]://HOST[:PORT]/APP/KEY[?query]. The port
// defaults to 1935 for rtmp and 443 for rtmps; KEY may contain slashes.
func parsePushURL(raw string) (pushTarget, error) {
	var t pushTarget
	u, err := url.Parse(raw)
	if err != nil {
		return t, fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	port := "1935"
	switch u.Scheme {
	case "rtmp":
	case "rtmps":
		t.tls, port = true, "443"
	default:
		return t, fmt.Errorf("%w: scheme %q (want rtmp or rtmps)", ErrBadURL, u.Scheme)
	}
	t.host = u.Host
	if u.Port() == "" {
		t.host = net.JoinHostPort(u.Hostname(), port)
	}
	t.app, t.key, _ = strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	if u.Hostname() == "" || t.app == "" || t.key == "" {
		return t, fmt.Errorf("%w: %q: want %s://HOST[:PORT]/APP/KEY", ErrBadURL, u.Redacted(), u.Scheme)
	}
	if u.RawQuery != "" {
		t.key += "?" + u.RawQuery
	}
	t.tcURL = u.Scheme + "://" + t.host + "/" + t.app
	t.redacted = t.tcURL + "/***"
	return t, nil
}

// sentConn counts the bytes written to a connection.
type sentConn struct {
	net.Conn
	sent *atomic.Uint64
}

func (c *sentConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	if n > 0 && c.sent != nil {
		c.sent.Add(uint64(n))
	}
	return n, err
}

// publish runs the handshake and the commands of a publisher (connect,
// releaseStream, FCPublish, createStream, publish, as ffmpeg and OBS send
// them) within timeout, then announces pushChunkSize. It returns the
// writer for media and the reader the reply goroutine goes on with.
func publish(conn net.Conn, t pushTarget, timeout time.Duration) (*pushWriter, *chunkReader, error) {
	if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
		return nil, nil, err
	}
	bw := bufio.NewWriterSize(conn, 64*1024)
	c := &clientConn{w: bw, r: newChunkReader(conn), window: 2500000}
	if err := handshake.HandshakeWithServer(c.r.r, conn, &handshake.Config{}); err != nil {
		return nil, nil, fmt.Errorf("handshake: %w", err)
	}
	if err := c.command(0, "connect", 1, map[string]any{
		"app": t.app, "type": "nonprivate", "flashVer": "FMLE/3.0 (compatible; StreamHive)", "tcUrl": t.tcURL,
	}); err != nil {
		return nil, nil, err
	}
	if _, err := c.await(1, "connect"); err != nil {
		return nil, nil, err
	}
	for i, cmd := range []string{"releaseStream", "FCPublish"} {
		if err := c.command(0, cmd, float64(2+i), nil, t.key); err != nil {
			return nil, nil, err
		}
	}
	if err := c.command(0, "createStream", 4, nil); err != nil {
		return nil, nil, err
	}
	res, err := c.await(4, "createStream")
	if err != nil {
		return nil, nil, err
	}
	id, ok := res[0].(float64)
	if !ok || id < 0 || id > 1<<31 {
		return nil, nil, fmt.Errorf("%w: createStream result %v", ErrMalformed, res)
	}
	c.streamID = uint32(id)
	if err := c.command(c.streamID, "publish", 5, nil, t.key, "live"); err != nil {
		return nil, nil, err
	}
	if err := awaitPublishStart(c); err != nil {
		return nil, nil, err
	}
	if err := c.send(csidControl, msgSetChunkSize, 0, be32(pushChunkSize)); err != nil {
		return nil, nil, err
	}
	if err := conn.SetDeadline(time.Time{}); err != nil {
		return nil, nil, err
	}
	return &pushWriter{conn: conn, w: bw, timeout: timeout, streamID: c.streamID}, c.r, nil
}

// awaitPublishStart reads until the server's onStatus for the publish:
// NetStream.Publish.Start, or an error status.
func awaitPublishStart(c *clientConn) error {
	for {
		m, err := c.next()
		if err != nil {
			return err
		}
		if m.typeID != msgCommandAMF0 {
			continue
		}
		vals, err := decodeAMF(m.payload)
		if err != nil || len(vals) < 2 {
			continue
		}
		switch name, _ := vals[0].(string); name {
		case "_error":
			if id, _ := vals[1].(float64); id == 5 {
				return fmt.Errorf("%w: publish: %v", ErrRejected, vals[2:])
			}
		case "onStatus":
			if len(vals) < 4 {
				continue
			}
			info, _ := vals[3].(map[string]any)
			if level, _ := info["level"].(string); level == "error" {
				return fmt.Errorf("%w: %v: %v", ErrRejected, info["code"], info["description"])
			}
			if code, _ := info["code"].(string); code == "NetStream.Publish.Start" {
				return nil
			}
		}
	}
}

// readPushReplies reads what the server sends while we publish, answers
// pings, and returns why the connection ended: an error status from the
// server (the publication was refused or ended), or a read error (the
// server closed the connection).
func readPushReplies(r *chunkReader, pw *pushWriter) error {
	for {
		m, err := r.readMessage()
		if err != nil {
			return fmt.Errorf("rtmp: server connection: %w", err)
		}
		switch m.typeID {
		case msgUserControl:
			if len(m.payload) >= 6 && m.payload[0] == 0 && m.payload[1] == 6 {
				resp := append([]byte{0, 7}, m.payload[2:6]...)
				if err := pw.write(csidControl, msgUserControl, 0, 0, resp); err != nil {
					return err
				}
			}
		case msgCommandAMF0:
			if err := checkPublishStatus(m.payload); err != nil {
				return err
			}
		}
	}
}

// checkPublishStatus fails on an onStatus of level "error" during the
// publication (NetStream.Publish.BadName, a kick by the server).
func checkPublishStatus(payload []byte) error {
	info := onStatusInfo(payload)
	if level, _ := info["level"].(string); level == "error" {
		return fmt.Errorf("%w: %v: %v", ErrRejected, info["code"], info["description"])
	}
	return nil
}
