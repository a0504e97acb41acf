package rtmp

import (
	"context"
	"errors"
	"fmt"
	"time"

	gortmp "github.com/yutopp/go-rtmp"
	"github.com/yutopp/go-rtmp/message"

	"streamhive/media"
)

// Player is implemented by Hooks that serve play commands
// (rtmp://HOST/static/NAME, rtmp://HOST/NAME: the name is resolved as a
// publisher's is, see StreamNames and Resolver). Play admits a viewer of
// name and returns what it watches; an error answers the command with
// NetStream.Play.Failed and closes the connection. ctx carries
// PublishInfoFrom (the viewer's address, app, key with its query and
// flashVer) and ends with the connection. Without a Player the server
// refuses every play command.
type Player interface {
	Play(ctx context.Context, name media.StreamName) (*Viewing, error)
}

// Viewing is one admitted viewer of a stream.
type Viewing struct {
	// Source gives the frames, one rendition: the first H.264 video track
	// and the first AAC track of its list are sent (the caller orders or
	// filters the list to choose).
	Source Source
	// Sent is told the bytes written to the viewer's connection.
	Sent func(n int)
	// Ended is closed when the viewer must go (kicked, banned): the
	// server closes the connection.
	Ended <-chan struct{}
	// Close is called once when the viewer has gone, whatever the
	// reason; it releases Source.
	Close func()
}

// errNoPlay refuses a play command on a server without a Player, or on a
// connection that already publishes or plays.
var errNoPlay = errors.New("rtmp: play is not served on this connection")

// playWriteTimeout closes a viewer whose connection takes no bytes for
// this long: the hub drops its frames meanwhile.
const playWriteTimeout = 10 * time.Second

// OnPlay resolves the stream name, asks the Player and starts sending.
// go-rtmp answers NetStream.Play.Start once it returns nil, and
// NetStream.Play.Failed (then closes) on an error.
func (c *serverConn) OnPlay(sc *gortmp.StreamContext, _ uint32, cmd *message.NetStreamPlay) error {
	p, ok := c.srv.Hooks.(Player)
	if !ok || c.ing != nil || c.playing || c.lib == nil {
		c.log.Warn("rtmp: play refused", "err", errNoPlay)
		return errNoPlay
	}
	c.key = cmd.StreamName
	c.name = resolve(c.srv.Hooks, StreamNames(c.app, c.key))
	c.log = c.log.With("stream", string(c.name))
	if c.name == "" {
		c.log.Warn("rtmp: play refused: no stream name", "app", cutQuery(c.app))
		return errors.New("rtmp: no stream name")
	}
	v, err := p.Play(c.hooksContext(), c.name)
	if err != nil {
		c.log.Warn("rtmp: play refused", "err", err)
		return fmt.Errorf("rtmp: play refused: %w", err)
	}
	c.playing = true
	w := &playWriter{nc: c.nc, streamID: sc.StreamID}
	// The viewer's messages are written in our chunk size from here on;
	// go-rtmp's own replies after a play (its Play.Start, acknowledgements,
	// ping answers) are all shorter than one chunk of either size.
	err = w.control(msgSetChunkSize, be32(pushChunkSize))
	if err == nil {
		err = w.control(msgUserControl, append([]byte{0, 0}, be32(sc.StreamID)...)) // Stream Begin
	}
	if err != nil {
		v.Close()
		return err
	}
	c.log.Info("rtmp: viewer playing", "app", cutQuery(c.app))
	go c.play(v, w)
	return nil
}

// play sends the viewer's frames until the connection closes, the
// session ends or the stream does; then it closes the connection.
func (c *serverConn) play(v *Viewing, w *playWriter) {
	defer v.Close()
	defer func() { _ = c.nc.Close() }()
	ctx, cancel := context.WithCancel(c.ctx)
	defer cancel()
	go func() {
		select {
		case <-v.Ended:
			c.log.Info("rtmp: viewer session ended: closing")
			cancel()
			_ = c.nc.Close()
		case <-ctx.Done():
		}
	}()
	w.sent = func() {
		if n := c.nc.written.Swap(0); n > 0 && v.Sent != nil {
			v.Sent(int(n))
		}
	}
	first, err := v.Source.Read(ctx)
	if err == nil {
		err = (&pushSender{tw: w, player: true, tags: &c.srv.tags, origin: first.DTS}).run(ctx, v.Source, first)
	}
	w.sent()
	if ctx.Err() == nil {
		c.log.Info("rtmp: viewer stopped", "err", err)
	}
}

// playWriter writes a viewer's messages straight to its connection, each
// message in one Write, on chunk streams of their own (playCSID), so that
// they may interleave with go-rtmp's replies chunk by chunk, as RTMP
// allows. The tag bodies are built as a push's are; only the chunking is
// per viewer (the bodies are shared: tagCache).
type playWriter struct {
	nc       *countingConn
	streamID uint32
	buf      []byte
	sent     func() // reports the bytes written so far; nil before play
}

// playCSID is the chunk stream of a viewer's message of type typeID: a
// push's, moved past the ones clients send commands on (ffmpeg and
// librtmp use 3 to 8), which go-rtmp answers on.
func playCSID(typeID uint8) byte { return playCSIDBase + csidFor(typeID) }

// playCSIDBase moves a push's chunk stream ids to a viewer's; a viewer's
// control messages go on playCSIDBase+csidControl.
const playCSIDBase = 32

// writeTag implements tagWriter.
func (w *playWriter) writeTag(typeID uint8, ts uint32, body []byte) error {
	if typeID == msgDataAMF0 { // the metadata object: named as FLV files and servers name it
		body = append(amf0String("onMetaData"), body...)
	}
	return w.send(playCSID(typeID), typeID, w.streamID, ts, body)
}

// control sends a protocol control message.
func (w *playWriter) control(typeID uint8, body []byte) error {
	return w.send(playCSIDBase+csidControl, typeID, 0, 0, body)
}

func (w *playWriter) send(csid byte, typeID uint8, streamID, ts uint32, body []byte) error {
	w.buf = appendChunks(w.buf[:0], pushChunkSize, csid, typeID, streamID, ts, body)
	if err := w.nc.SetWriteDeadline(time.Now().Add(playWriteTimeout)); err != nil {
		return err
	}
	_, err := w.nc.Write(w.buf)
	if w.sent != nil {
		w.sent()
	}
	return err
}

// amf0String is an AMF0 string value (type 2, 16-bit length).
func amf0String(s string) []byte {
	return append([]byte{2, byte(len(s) >> 8), byte(len(s))}, s...)
}
