package gateway

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/api"
)

// requestError answers a request that fasthttp could not read, in the
// API's error shape rather than fasthttp's plain text: 413 for a body over
// the limit, 431 for headers over the read buffer, 408 for a client too
// slow to send, 400 for the rest. The title never repeats the client's
// bytes.
func requestError(rc *fasthttp.RequestCtx, err error) {
	var small *fasthttp.ErrSmallBuffer
	var netErr net.Error
	switch {
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		api.WriteError(rc, fasthttp.StatusRequestEntityTooLarge, "payload_too_large", "request body is over the server's limit")
	case errors.As(err, &small):
		api.WriteError(rc, fasthttp.StatusRequestHeaderFieldsTooLarge, "headers_too_large", "request headers are over the server's limit")
	case errors.As(err, &netErr) && netErr.Timeout():
		api.WriteError(rc, fasthttp.StatusRequestTimeout, "timeout", "request not received in time")
	default:
		api.WriteError(rc, fasthttp.StatusBadRequest, "bad_request", "malformed HTTP request")
	}
}

// maxLogMessage bounds one fasthttp message in our log. fasthttp's errors
// for a malformed request quote the client's bytes (400 of them, more for
// some errors); a client must not be able to write kilobytes of its choice
// into the log per connection.
const maxLogMessage = 160

// fasthttpLogger routes fasthttp's own messages (accept errors, limits,
// malformed requests) into slog, one short line each.
type fasthttpLogger struct{ log *slog.Logger }

func (l fasthttpLogger) Printf(format string, args ...any) {
	l.log.Warn("fasthttp: " + shortMessage(fmt.Sprintf(format, args...)))
}

// shortMessage is msg without what fasthttp quotes of the client's bytes
// (from ": buffer size=" on), on one line, at most maxLogMessage bytes.
func shortMessage(msg string) string {
	if i := strings.Index(msg, ": buffer size="); i >= 0 {
		msg = msg[:i]
	}
	msg = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, msg)
	if len(msg) > maxLogMessage {
		cut := maxLogMessage
		for cut > 0 && msg[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
			cut--
		}
		msg = msg[:cut] + fmt.Sprintf("… (%d bytes cut)", len(msg)-cut)
	}
	return msg
}
