package play

import (
	"errors"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/live"
	"streamhive/media/dash"
	"streamhive/media/segment"
)

// serveMPD answers the DASH manifest. It is rendered per request, not
// cached: its publishTime doubles as the UTCTiming players set their clock
// by, so it must be the time of the answer. The session's query goes on
// its SegmentTemplate's initialization and media URIs.
func (h *Handler) serveMPD(rc *fasthttp.RequestCtx, st live.Stream, name string, g grant) {
	b, err := await(h, h.ready, st, func(w *segment.Window) ([]byte, error) {
		return dash.MPD(w, dash.Options{Names: dash.DefaultNames{}, PublishTime: time.Now()})
	})
	switch {
	case err == nil:
		writeBody(rc, typeMPD, cacheNone, withMPDQuery(b, g.xml()))
	case errors.Is(err, errNotReady):
		writeNotReady(rc, "stream "+strconv.Quote(name)+" has no segment yet")
	default:
		h.internal(rc, name, err)
	}
}
