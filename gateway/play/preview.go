package play

import (
	"context"
	"errors"
	"strconv"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/live"
)

// servePreview answers the stream's latest keyframe as a JPEG, asking the
// stream for it within the ready timeout.
func (h *Handler) servePreview(rc *fasthttp.RequestCtx, st live.Stream, name string) {
	ctx, cancel := h.waitContext(h.ready)
	defer cancel()
	b, err := st.Preview(ctx)
	switch {
	case err == nil:
		writeBody(rc, typeJPEG, cacheNone, b)
	case errors.Is(err, live.ErrNotProducing), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		writeNotReady(rc, "stream "+strconv.Quote(name)+" has no picture yet")
	default:
		h.internal(rc, name, err)
	}
}
