package play

import (
	"context"
	"encoding/binary"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/fasthttp/websocket"
	"github.com/valyala/fasthttp"

	"streamhive/gateway/live"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

// protoMSELDAuth is the protocol an auth request and a session name MSE-LD
// by (Flussonic's name); ProtoMSELD is its `protocols` name.
const protoMSELDAuth = "mse_ld"

// Limits of what an MSE-LD client may send: commands come at human pace
// (pause, resume, a track switch), so a client that sends more is broken
// or hostile and its socket closes.
const (
	mseMsgRate  = 5  // messages per second, sustained
	mseMsgBurst = 20 // messages at once
	mseCmdQueue = 4  // parsed commands waiting for the writer
)

// mseUpgrader upgrades /NAME/mse_ld requests. Any origin may connect, as
// any origin may fetch HLS (CORS *): who plays is the Gate's to decide.
var mseUpgrader = websocket.FastHTTPUpgrader{
	ReadBufferSize:  mseMaxMessage + 64,
	WriteBufferSize: 32 << 10,
	WriteBufferPool: &sync.Pool{},
	CheckOrigin:     func(*fasthttp.RequestCtx) bool { return true },
	Error: func(rc *fasthttp.RequestCtx, status int, reason error) {
		writeError(rc, status, codeBadReload, reason.Error())
	},
}

// serveMSELD answers ws://HOST/NAME/mse_ld: Flussonic's MSE-LD. Over the
// WebSocket the viewer gets an "mse_init_segment" JSON message (each
// track's CMAF init, base64) and then binary messages, each one CMAF
// fragment (moof+mdat) of one track: the segmenter's LL-HLS parts, from the
// latest keyframe on, as they are made. The fragments are the ones HLS and
// DASH serve, shared by every viewer; only their track_ID is rewritten as
// they are written (mseld_init.go). `tracks=v1a1` in the query, or a
// `set_tracks=` message, selects the tracks; pause and resume stop and
// restart the media (mseld_msg.go).
//
// The session the Gate opened lives as long as the socket: bytes count as
// they go, its end closes the socket, and the socket's end closes it.
func (h *Handler) serveMSELD(rc *fasthttp.RequestCtx, st live.Stream, name string, g grant) {
	if !websocket.FastHTTPIsWebSocketUpgrade(rc) {
		g.Close()
		writeError(rc, fasthttp.StatusBadRequest, codeBadReload, "mse_ld is served over a WebSocket")
		return
	}
	var refs []trackRef
	if q := rc.QueryArgs().Peek("tracks"); len(q) > 0 {
		var err error
		if refs, err = parseTrackList(string(q)); err != nil {
			g.Close()
			writeError(rc, fasthttp.StatusBadRequest, codeBadReload, "bad tracks: want e.g. v1a1")
			return
		}
	}
	start, err := await(h, h.ready, st, startPos)
	if err != nil {
		g.Close()
		writeNotReady(rc, "stream "+strconv.Quote(name)+" has no keyframe yet")
		return
	}
	if _, err := selectTracks(st.Window().Tracks, refs); err != nil {
		g.Close()
		writeError(rc, fasthttp.StatusBadRequest, codeBadReload, "stream "+strconv.Quote(name)+" has no such tracks")
		return
	}
	err = mseUpgrader.Upgrade(rc, func(ws *websocket.Conn) {
		defer g.Close()
		c := &mseConn{
			h: h, ws: ws, g: g, name: name, st: st, pos: start, refs: refs,
			cmds: make(chan mseMsg, mseCmdQueue),
		}
		began := time.Now()
		why := c.run()
		h.log.Debug("play: mse_ld viewer left", slog.String("stream", name),
			slog.Int64("bytes", c.sent), slog.Duration("for", time.Since(began)), slog.String("why", why))
	})
	if err != nil { // the upgrader has answered
		g.Close()
	}
}

// mseConn is one MSE-LD viewer. Only its writer goroutine (run) writes to
// the socket; a reader goroutine parses the client's messages into cmds.
type mseConn struct {
	h    *Handler
	ws   *websocket.Conn
	g    grant
	name string

	// The writer's state.
	st     live.Stream
	pos    tsPos
	refs   []trackRef    // the tracks asked for; nil: the defaults
	tracks []int         // the track IDs sent, video first
	init   *segment.Init // the epoch whose init was sent last; nil: none
	paused bool
	sent   int64

	cmds chan mseMsg
	// wake cancels the writer's wait for the next part, so that a command
	// applies at once; set by the writer before each wait.
	mu   sync.Mutex
	wake context.CancelFunc
}

// run serves the connection until it ends and returns why.
func (c *mseConn) run() string {
	ctx, cancel := context.WithCancel(c.h.ctx)
	defer cancel()
	stopEnded := endWith(ctx, cancel, c.g.Ended(), nil)
	defer stopEnded()
	// Whatever ends ctx (a kick, the Handler's Close, the client leaving)
	// unblocks the read and any write in progress: their deadlines pass.
	// (A hijacked fasthttp conn ignores Close; fasthttp closes the socket
	// once this handler returns.)
	defer c.unblockOnEnd(ctx)()
	read := make(chan struct{})
	go func() {
		defer close(read)
		defer cancel()
		c.read()
	}()
	why := c.stream(ctx)
	if ctx.Err() == nil { // ended by the stream: say so before closing
		msg := websocket.FormatCloseMessage(websocket.CloseGoingAway, why[:min(len(why), 100)]) // a control frame carries 125 bytes
		_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
	}
	cancel() // unblocks the reader, whatever the client does
	<-read
	_ = c.ws.Close()
	return why
}

// unblockOnEnd makes the socket's deadlines pass when ctx ends; the
// returned stop waits for that to be done, if it began: fasthttp reuses
// the conn once the handler returns.
func (c *mseConn) unblockOnEnd(ctx context.Context) (stop func()) {
	var mu sync.Mutex
	done := false
	conn := c.ws.NetConn()
	stopFunc := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			_ = conn.SetDeadline(time.Now())
		}
	})
	return func() {
		stopFunc()
		mu.Lock()
		done = true
		mu.Unlock()
	}
}

// read parses the client's messages until the socket fails or the client
// breaks the limits (too large a message, too many).
func (c *mseConn) read() {
	c.ws.SetReadLimit(mseMaxMessage)
	b := newMsgBucket(mseMsgRate, mseMsgBurst, time.Now())
	for {
		typ, msg, err := c.ws.ReadMessage()
		if err != nil || !b.allow(time.Now()) {
			return
		}
		if typ != websocket.TextMessage {
			continue
		}
		m, err := parseMSEMessage(msg)
		if err != nil {
			continue // unknown commands are ignored, as by Flussonic's players
		}
		select {
		case c.cmds <- m:
		default:
			return // the writer cannot keep up with this client: leave
		}
		c.mu.Lock()
		if c.wake != nil {
			c.wake()
		}
		c.mu.Unlock()
	}
}

// stream sends the init and then the parts from c.pos on, applying the
// client's commands between parts, until ctx ends, the client's socket
// fails or the stream ends. It returns why it stopped.
func (c *mseConn) stream(ctx context.Context) string {
	for {
		if ctx.Err() != nil {
			return stopReason(c.h)
		}
		if why := c.applyCommands(); why != "" {
			return why
		}
		if c.paused {
			if why := c.waitCommand(ctx); why != "" {
				return why
			}
			continue
		}
		w := c.st.Window()
		if w == nil {
			return "stream ended"
		}
		if w.Part(c.pos.msn, c.pos.part) != nil {
			if why := c.sendPart(w); why != "" {
				return why
			}
			c.pos.part++
			continue
		}
		if w.Segment(c.pos.msn) != nil {
			c.pos = tsPos{c.pos.msn + 1, 0}
			continue
		}
		if len(w.Segments) > 0 && c.pos.msn < w.Segments[0].MSN {
			next, err := startPos(w)
			if err != nil {
				return "lost position"
			}
			c.pos = next
			continue
		}
		if why := c.waitPart(ctx); why != "" {
			return why
		}
	}
}

// waitPart waits for the part at c.pos, or for a command.
func (c *mseConn) waitPart(ctx context.Context) string {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c.mu.Lock()
	c.wake = cancel
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.wake = nil
		c.mu.Unlock()
	}()
	if len(c.cmds) > 0 {
		return ""
	}
	st, pos, why := c.h.nextTS(wctx, c.name, c.st, c.pos)
	if why != "" && ctx.Err() == nil && wctx.Err() != nil {
		return "" // woken by a command
	}
	c.st, c.pos = st, pos
	return why
}

// waitCommand waits, paused, for the client's next command.
func (c *mseConn) waitCommand(ctx context.Context) string {
	select {
	case m := <-c.cmds:
		return c.apply(m)
	case <-ctx.Done():
		return stopReason(c.h)
	}
}

// applyCommands applies the commands that have come.
func (c *mseConn) applyCommands() string {
	for {
		select {
		case m := <-c.cmds:
			if why := c.apply(m); why != "" {
				return why
			}
		default:
			return ""
		}
	}
}

// apply carries out one command and answers it with its event.
func (c *mseConn) apply(m mseMsg) string {
	switch m.cmd {
	case msePause:
		c.paused = true
		return c.send(websocket.TextMessage, mseEvent("paused"))
	case mseResume:
		if c.paused {
			c.paused = false
			c.toLiveEdge(false)
		}
		return c.send(websocket.TextMessage, mseEvent("resumed"))
	case mseLive:
		c.paused = false
		c.toLiveEdge(false)
		return c.send(websocket.TextMessage, mseEvent("switched_to_live"))
	case mseSetTracks:
		w := c.st.Window()
		if w == nil || w.Init == nil {
			return ""
		}
		if _, err := selectTracks(w.Init.Tracks, m.tracks); err != nil {
			return "" // a track the stream lacks: keep playing what plays
		}
		c.refs, c.init = m.tracks, nil // the next part sends the new init
		c.toLiveEdge(true)
		return c.send(websocket.TextMessage, mseEvent("tracks_switched"))
	case msePlayFrom: // this server has no archive over MSE-LD: stay live
	}
	return ""
}

// toLiveEdge moves to the latest keyframe: only forward unless back is
// set (a new init restarts the player's timeline anyway).
func (c *mseConn) toLiveEdge(back bool) {
	w := c.st.Window()
	if w == nil {
		return
	}
	next, err := startPos(w)
	if err != nil {
		return
	}
	if back || next.msn > c.pos.msn || next.msn == c.pos.msn && next.part > c.pos.part {
		c.pos = next
	}
}

// sendPart sends the selected tracks' fragments of the part at c.pos, preceded by the
// init message when it starts a new epoch (or the tracks changed).
func (c *mseConn) sendPart(w *segment.Window) string {
	seg := w.Segment(c.pos.msn)
	if seg == nil {
		seg = w.Partial
	}
	if seg != nil && seg.Init != nil && seg.Init != c.init {
		if why := c.sendInit(seg.Init); why != "" {
			return why
		}
	}
	for _, id := range c.tracks {
		frag, err := c.st.Media(c.h.ctx, hls.Ref{Format: hls.FMP4, MSN: c.pos.msn, Part: c.pos.part, Track: id})
		if err != nil {
			return "stream: " + err.Error()
		}
		if len(frag) == 0 {
			continue // no sample of this track in this part
		}
		if why := c.sendFragment(frag, mseTrackID(id)); why != "" {
			return why
		}
	}
	return ""
}

// sendInit sends the init message of in for the selected tracks.
func (c *mseConn) sendInit(in *segment.Init) string {
	ids, err := selectTracks(in.Tracks, c.refs)
	if err != nil { // the new epoch lacks the tracks asked for
		if ids, err = selectTracks(in.Tracks, nil); err != nil {
			return "stream has no playable track"
		}
	}
	msg, err := initMessage(in, ids)
	if err != nil {
		return "init: " + err.Error()
	}
	c.tracks, c.init = ids, in
	return c.send(websocket.TextMessage, msg)
}

// sendFragment sends one fragment as one binary message, its tfhd naming
// track id. The shared bytes are written around the patched four: no copy.
func (c *mseConn) sendFragment(frag []byte, id uint32) string {
	at, ok := tfhdTrackIDAt(frag)
	if !ok {
		return c.send(websocket.BinaryMessage, frag)
	}
	var idb [4]byte
	binary.BigEndian.PutUint32(idb[:], id)
	_ = c.ws.SetWriteDeadline(time.Now().Add(tsWriteStall))
	w, err := c.ws.NextWriter(websocket.BinaryMessage)
	if err != nil {
		return "client: " + err.Error()
	}
	for _, b := range [][]byte{frag[:at], idb[:], frag[at+4:]} {
		if _, err := w.Write(b); err != nil {
			return "client: " + err.Error()
		}
	}
	if err := w.Close(); err != nil {
		return "client: " + err.Error()
	}
	c.counted(len(frag))
	return ""
}

// send writes one message.
func (c *mseConn) send(typ int, b []byte) string {
	_ = c.ws.SetWriteDeadline(time.Now().Add(tsWriteStall))
	if err := c.ws.WriteMessage(typ, b); err != nil {
		return "client: " + err.Error()
	}
	c.counted(len(b))
	return ""
}

// counted reports n bytes sent to the session.
func (c *mseConn) counted(n int) {
	c.sent += int64(n)
	c.g.Sent(n)
}
