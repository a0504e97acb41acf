package play

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/live"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

// Limits of a continuous MPEG-TS response.
const (
	// tsStall ends a response when the stream publishes nothing for this
	// long: a player reconnects, which beats a silent connection.
	tsStall = 10 * time.Second
	// tsWriteStall ends a response whose client stops reading: a write
	// that cannot finish in this time means a stuck or departed viewer.
	tsWriteStall = 15 * time.Second
)

// tsPos is the next part a continuous MPEG-TS response sends, in the
// window lineage of one live.Stream.
type tsPos struct {
	msn  uint64
	part int
}

// serveMPEGTS answers continuous MPEG-TS: the stream's TS parts,
// concatenated, from the latest keyframe on. They form one multiplex (the
// segmenter's TS muxer runs on across parts and segments, continuity
// counters included, and every keyframe is preceded by PAT and PMT), so
// nothing is muxed again per viewer.
//
// The viewer's session counts the bytes as they go; when the session
// ends (kicked, banned, denied at re-authorization) the response ends
// and its socket closes; when the response ends, so does the session.
func (h *Handler) serveMPEGTS(rc *fasthttp.RequestCtx, st live.Stream, name string, g grant) {
	start, err := await(h, h.ready, st, startPos)
	if err != nil {
		writeNotReady(rc, "stream "+strconv.Quote(name)+" has no keyframe yet")
		return
	}
	rc.SetStatusCode(fasthttp.StatusOK)
	rc.SetContentType(typeTS)
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, cacheNone)
	// The response only ends with the connection: the write deadlines the
	// stream sets must not leak into a next request on it.
	rc.SetConnectionClose()
	if rc.IsHead() {
		return
	}
	// rc must not be touched from the stream writer; its connection may.
	conn := rc.Conn()
	h.tsViewers.Add(1)
	rc.SetBodyStreamWriter(func(bw *bufio.Writer) {
		defer h.tsViewers.Add(-1)
		defer g.Close()
		ctx, cancel := context.WithCancel(h.ctx)
		defer cancel()
		stop := endWith(ctx, cancel, g.Ended(), conn)
		defer stop()
		began := time.Now()
		n, why := h.streamTS(ctx, bw, conn, g, name, st, start)
		h.log.Debug("play: mpegts viewer left", slog.String("stream", name),
			slog.Int64("bytes", n), slog.Duration("for", time.Since(began)), slog.String("why", why))
	})
}

// endWith cancels a long response's ctx when its session ends, and
// unblocks a write in progress on conn, if given (its deadline passes at
// once), so the response stops within a part and fasthttp closes the
// socket. stop, or ctx's end, ends the watch.
func endWith(ctx context.Context, cancel context.CancelFunc, ended <-chan struct{}, conn net.Conn) (stop func()) {
	if ended == nil {
		return func() {}
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-ended:
			cancel()
			if conn != nil {
				_ = conn.SetWriteDeadline(time.Now())
			}
		case <-ctx.Done():
		case <-done:
		}
	}()
	return func() { close(done) }
}

// startPos finds the latest part that starts with a keyframe.
func startPos(w *segment.Window) (tsPos, error) {
	msn, part, ok := w.LatestKeyframePart()
	if !ok {
		return tsPos{}, errNotReady
	}
	return tsPos{msn, part}, nil
}

// streamTS writes parts from pos on until the client leaves, the stream
// stalls or ends, or ctx ends (the Handler closes, the session ends). It
// reports each part's bytes to the session and returns the bytes written
// and why it stopped.
func (h *Handler) streamTS(ctx context.Context, bw *bufio.Writer, conn net.Conn, g grant, name string, st live.Stream, pos tsPos) (int64, string) {
	var n int64
	for {
		if ctx.Err() != nil {
			return n, stopReason(h)
		}
		w := st.Window()
		if w == nil { // a Stream keeps its window once it has one; be safe
			return n, "stream ended"
		}
		if w.Part(pos.msn, pos.part) != nil {
			ts, err := st.Media(ctx, hls.Ref{Format: hls.TS, MSN: pos.msn, Part: pos.part})
			if err != nil {
				return n, "stream: " + err.Error()
			}
			_ = conn.SetWriteDeadline(time.Now().Add(tsWriteStall))
			if _, err := bw.Write(ts); err != nil {
				return n, "client: " + err.Error()
			}
			if err := bw.Flush(); err != nil {
				if ctx.Err() != nil {
					return n, stopReason(h)
				}
				return n, "client: " + err.Error()
			}
			n += int64(len(ts))
			g.Sent(len(ts))
			pos.part++
			continue
		}
		if w.Segment(pos.msn) != nil { // finished: its parts are all sent
			pos.msn, pos.part = pos.msn+1, 0
			continue
		}
		if len(w.Segments) > 0 && pos.msn < w.Segments[0].MSN { // left the window under us
			next, err := startPos(w)
			if err != nil {
				return n, "lost position"
			}
			pos = next
			continue
		}
		var why string
		if st, pos, why = h.nextTS(ctx, name, st, pos); why != "" {
			return n, why
		}
	}
}

// stopReason says why a response's context ended: the Handler closed, or
// else the viewer's session.
func stopReason(h *Handler) string {
	if h.ctx.Err() != nil {
		return "handler closed"
	}
	return "session ended"
}

// nextTS waits for the part at pos. When the stream's windows end, it
// locates the stream again: a stream that started over (its actor
// restarted) is a new live.Stream, followed from its latest keyframe. why
// is set when the response should end.
func (h *Handler) nextTS(ctx context.Context, name string, st live.Stream, pos tsPos) (live.Stream, tsPos, string) {
	ctx, cancel := context.WithTimeout(ctx, tsStall)
	defer cancel()
	err := st.Wait(ctx, pos.msn, pos.part)
	switch {
	case err == nil:
		return st, pos, ""
	case errors.Is(err, segment.ErrClosed):
		loc, ok := h.streams.Locate(name)
		if !ok || loc.Stream.Window() == st.Window() {
			return st, pos, "stream ended"
		}
		next, err := await(h, h.ready, loc.Stream, startPos)
		if err != nil {
			return st, pos, "stream ended"
		}
		return loc.Stream, next, ""
	case errors.Is(err, segment.ErrTooFarAhead):
		next, err := startPos(st.Window())
		if err != nil {
			return st, pos, "lost position"
		}
		return st, next, ""
	case errors.Is(ctx.Err(), context.Canceled):
		return st, pos, stopReason(h)
	default:
		return st, pos, "stream stalled"
	}
}
