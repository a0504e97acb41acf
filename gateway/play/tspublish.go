package play

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// HTTP MPEG-TS publishing at Flussonic's URL:
//
//	POST /NAME/mpegts   the request body (chunked, as `ffmpeg -f mpegts
//	                    -method POST` sends it) is the stream's MPEG-TS;
//	                    204 once it ends
//
// Refusals come before any media is read, in the Control API's error
// shape and with WHIP's statuses: 404 no such stream, 403 a stream that
// takes no publishers or a publisher the policy refuses (401 when it
// presented no credentials), 409 a stream that is not running, 503 while
// the server stops.

// TSPublish is the publishing side the handler hands HTTP MPEG-TS
// publishers to. Called from many goroutines at once.
type TSPublish interface {
	// Publish checks the publisher of stream name (its credentials in
	// ctx, CredentialsFrom) and then demuxes body into the stream until
	// body ends or fails, or ctx ends. A refusal comes before body is
	// read and wraps ErrNoStream, ErrNotPublishable, ErrStreamDown,
	// ErrDenied or ErrUnavailable; after that, an error only says why
	// the publication ended. Closing body makes a blocked Read fail.
	Publish(ctx context.Context, name string, body io.ReadCloser, peer net.Addr) error
}

// tsPublishIdle ends a publication whose publisher sent nothing for this
// long: a live encoder sends packets many times a second, and the
// server's ReadTimeout (which bounds a whole request) must not end a
// publication that lasts hours.
const tsPublishIdle = 30 * time.Second

// parseTSPublish matches POST /NAME/mpegts.
func parseTSPublish(rc *fasthttp.RequestCtx) (string, bool) {
	if !rc.IsPost() {
		return "", false
	}
	name, ok := strings.CutSuffix(string(rc.Path()), "/mpegts")
	if !ok || len(name) < 2 || name[0] != '/' {
		return "", false
	}
	return name[1:], true
}

// serveTSPublish takes one HTTP MPEG-TS publisher: it returns when the
// publication ends.
func (h *Handler) serveTSPublish(rc *fasthttp.RequestCtx, name string) {
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, cacheNone)
	if h.tsPublish == nil {
		rc.Response.Header.Set(fasthttp.HeaderAllow, "GET, HEAD, OPTIONS")
		writeError(rc, fasthttp.StatusMethodNotAllowed, codeMethod, "")
		return
	}
	creds := Credentials{
		Query:         string(rc.URI().QueryString()),
		Authorization: string(rc.Request.Header.Peek(fasthttp.HeaderAuthorization)),
	}
	ctx, cancel := context.WithCancel(context.WithValue(h.ctx, credentialsKey{}, creds))
	defer cancel()
	body := newIdleBody(rc, tsPublishIdle)
	err := h.tsPublish.Publish(ctx, name, body, rc.RemoteAddr())
	if refused(err) {
		if errors.Is(err, ErrDenied) && !creds.presented(h.tokenQueryKey()) {
			writeError(rc, fasthttp.StatusUnauthorized, codeUnauthorized, "stream "+strconv.Quote(name)+" needs publish credentials")
			return
		}
		h.whipError(rc, name, err)
		return
	}
	h.log.Info("mpegts: publication ended", slog.String("stream", name), slog.Any("reason", err))
	rc.SetStatusCode(fasthttp.StatusNoContent)
}

// refused reports whether err is one of the refusals TSPublish.Publish
// gives before it reads the body.
func refused(err error) bool {
	for _, e := range []error{ErrNoStream, ErrNotPublishable, ErrStreamDown, ErrDenied, ErrUnavailable} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// idleBody reads a streamed request body, failing once the publisher has
// sent nothing for idle; Close makes a blocked Read fail (it closes the
// connection: the publication is over either way).
type idleBody struct {
	r    io.Reader
	conn net.Conn
	idle time.Duration
}

func newIdleBody(rc *fasthttp.RequestCtx, idle time.Duration) *idleBody {
	var r io.Reader = strings.NewReader("")
	if s := rc.RequestBodyStream(); s != nil {
		r = s
	} else if b := rc.PostBody(); len(b) > 0 { // a server that does not stream bodies
		r = strings.NewReader(string(b))
	}
	return &idleBody{r: r, conn: rc.Conn(), idle: idle}
}

func (b *idleBody) Read(p []byte) (int, error) {
	if b.conn != nil {
		_ = b.conn.SetReadDeadline(time.Now().Add(b.idle))
	}
	return b.r.Read(p)
}

func (b *idleBody) Close() error {
	if b.conn != nil {
		return b.conn.Close()
	}
	return nil
}
