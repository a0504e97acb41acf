package rtmp

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/yutopp/go-rtmp/handshake"

	"streamhive/media"
)

// Puller plays rtmp:// URLs: it implements actors/input.Puller. The zero
// value works; Pull is safe for concurrent use (fields are read only).
type Puller struct {
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Timeout bounds connecting, the handshake and the commands, and the
	// silence tolerated afterwards. Default 10 s.
	Timeout time.Duration
}

const defaultPullTimeout = 10 * time.Second

// Pull connects to url (rtmp://HOST[:PORT]/APP/STREAM[?query]), plays the
// stream, calls publish once the tracks are known and writes frames to the
// sink it returns. It blocks until ctx is done (returning ctx.Err()) or the
// connection fails (returning why). It never retries. It counts into
// media.InputStatsFrom(ctx). No options are used yet.
func (p *Puller) Pull(ctx context.Context, rawURL string, _ map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	target, err := parsePullURL(rawURL)
	if err != nil {
		return err
	}
	stats := media.InputStatsFrom(ctx)
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = defaultPullTimeout
	}
	log := p.Logger
	if log == nil {
		log = slog.Default()
	}
	log = log.With("proto", "rtmp", "url", target.redacted)

	d := net.Dialer{Timeout: timeout}
	nc, err := d.DialContext(ctx, "tcp", target.host)
	if err != nil {
		return fmt.Errorf("rtmp: dial %s: %w", target.host, err)
	}
	conn := &countingConn{Conn: nc, timeout: timeout, stats: stats, pace: newReadPacer(nc, time.Now())}
	stop := context.AfterFunc(ctx, func() { _ = nc.Close() })
	defer stop()
	defer func() { _ = nc.Close() }() // ends the session; nothing to report from it

	c := &clientConn{w: bufio.NewWriter(conn), r: newChunkReader(conn), window: 2500000}
	if err := handshake.HandshakeWithServer(c.r.r, conn, &handshake.Config{}); err != nil {
		return fmt.Errorf("rtmp: handshake: %w", err)
	}
	err = c.play(target)
	if err == nil {
		log.Info("rtmp: playing")
		err = c.receive(newIngest(stats, publish))
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return err
}

// pullTarget is a parsed rtmp:// URL.
type pullTarget struct {
	host     string // host:port
	app      string
	stream   string // play path, query included
	tcURL    string
	redacted string // for logs: no query
}

func parsePullURL(raw string) (pullTarget, error) {
	var t pullTarget
	u, err := url.Parse(raw)
	if err != nil {
		return t, fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	if u.Scheme != "rtmp" {
		return t, fmt.Errorf("%w: scheme %q (only rtmp:// is supported)", ErrBadURL, u.Scheme)
	}
	t.host = u.Host
	if u.Port() == "" {
		t.host = net.JoinHostPort(u.Hostname(), "1935")
	}
	t.app, t.stream, _ = strings.Cut(strings.TrimPrefix(u.Path, "/"), "/")
	if t.app == "" || t.stream == "" {
		return t, fmt.Errorf("%w: %q: want rtmp://HOST[:PORT]/APP/STREAM", ErrBadURL, u.Redacted())
	}
	if u.RawQuery != "" {
		t.stream += "?" + u.RawQuery
	}
	t.tcURL = "rtmp://" + t.host + "/" + t.app
	t.redacted = "rtmp://" + t.host + u.Path
	return t, nil
}

// clientConn is the pull client's side of one connection.
type clientConn struct {
	w        *bufio.Writer
	r        *chunkReader
	streamID uint32
	window   uint32 // acknowledgement window the server asked for
	acked    uint64 // bytes acknowledged so far
	read     uint64 // message bytes read so far
}

// play runs connect, createStream and play.
func (c *clientConn) play(t pullTarget) error {
	if err := c.command(0, "connect", 1, map[string]any{
		"app": t.app, "flashVer": "LNX 9,0,124,2", "tcUrl": t.tcURL,
		"fpad": false, "capabilities": 15.0, "audioCodecs": 4071.0, "videoCodecs": 252.0, "videoFunction": 1.0,
	}); err != nil {
		return err
	}
	if _, err := c.await(1, "connect"); err != nil {
		return err
	}
	if err := c.command(0, "createStream", 2, nil); err != nil {
		return err
	}
	res, err := c.await(2, "createStream")
	if err != nil {
		return err
	}
	id, ok := res[0].(float64)
	if !ok || id < 0 || id > 1<<31 {
		return fmt.Errorf("%w: createStream result %v", ErrMalformed, res)
	}
	c.streamID = uint32(id)
	// Start -2: live if there is one, else recorded (ffmpeg's default).
	if err := c.command(c.streamID, "play", 0, nil, t.stream, -2.0); err != nil {
		return err
	}
	return c.setBufferLength(3000)
}

// receive reads until the connection fails, handing media to in.
func (c *clientConn) receive(in *ingest) error {
	for {
		m, err := c.next()
		if err != nil {
			return err
		}
		switch m.typeID {
		case msgVideo:
			err = in.onVideo(m.timestamp, m.payload)
		case msgAudio:
			err = in.onAudio(m.timestamp, m.payload)
		case msgCommandAMF0:
			err = checkStatus(m.payload)
		}
		if err != nil {
			return err
		}
	}
}

// next returns the next message, answering the control messages that
// need an answer on the way: acknowledgements and pings.
func (c *clientConn) next() (rtmpMessage, error) {
	m, err := c.r.readMessage()
	if err != nil {
		return m, err
	}
	c.read += uint64(len(m.payload))
	switch m.typeID {
	case msgWinAckSize:
		if len(m.payload) >= 4 {
			c.window = beUint32(m.payload)
		}
	case msgUserControl:
		// Ping Request (event 6) wants a Ping Response (7) with the same timestamp.
		if len(m.payload) >= 6 && m.payload[0] == 0 && m.payload[1] == 6 {
			resp := append([]byte{0, 7}, m.payload[2:6]...)
			if err := c.send(2, msgUserControl, 0, resp); err != nil {
				return m, err
			}
		}
	}
	if c.window > 0 && c.read-c.acked >= uint64(c.window)/2 {
		c.acked = c.read
		if err := c.send(2, msgAck, 0, be32(uint32(c.read))); err != nil {
			return m, err
		}
	}
	return m, nil
}

func (c *clientConn) send(csid byte, typeID uint8, streamID uint32, payload []byte) error {
	if err := writeMessage(c.w, csid, typeID, streamID, payload); err != nil {
		return err
	}
	return c.w.Flush()
}

func (c *clientConn) setBufferLength(ms uint32) error {
	p := append([]byte{0, 3}, be32(c.streamID)...)
	return c.send(2, msgUserControl, 0, append(p, be32(ms)...))
}

// await reads until the _result or _error of transaction tid and returns
// the values after its command object.
func (c *clientConn) await(tid float64, what string) ([]any, error) {
	for {
		m, err := c.next()
		if err != nil {
			return nil, err
		}
		if m.typeID != msgCommandAMF0 {
			continue
		}
		vals, err := decodeAMF(m.payload)
		if err != nil {
			return nil, err
		}
		if len(vals) < 2 {
			continue
		}
		name, _ := vals[0].(string)
		id, _ := vals[1].(float64)
		if id != tid || (name != "_result" && name != "_error") {
			continue
		}
		rest := vals[2:]
		if len(rest) > 0 {
			rest = rest[1:] // the command object
		}
		if name == "_error" {
			return nil, fmt.Errorf("%w: %s: %v", ErrRejected, what, rest)
		}
		if len(rest) == 0 {
			rest = []any{nil}
		}
		return rest, nil
	}
}

// checkStatus fails on an onStatus of level "error" (NetStream.Play.
// StreamNotFound, NetStream.Play.Failed): the server will send nothing.
func checkStatus(payload []byte) error {
	info := onStatusInfo(payload)
	if level, _ := info["level"].(string); level == "error" {
		return fmt.Errorf("%w: %v: %v", ErrRejected, info["code"], info["description"])
	}
	if code, _ := info["code"].(string); code == "NetStream.Play.UnpublishNotify" || code == "NetStream.Play.Stop" {
		return errors.New("rtmp: the server ended the stream (" + code + ")")
	}
	return nil
}

func be32(v uint32) []byte { return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)} }

func beUint32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
