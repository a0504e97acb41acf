package play

import (
	"errors"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/live"
	"streamhive/media/dash"
	"streamhive/media/drm"
	"streamhive/media/segment"
)

// dashPrefix starts the DASH names of CMAF segments and inits: the same
// bytes as HLS's names serve, but a request for them says it comes from a
// DASH player, so that its session (keyed by protocol, as Flussonic's
// default session_keys are) is the one its MPD request opened.
const dashPrefix = "dash-"

// dashNames are the URIs a live MPD lists: dash.DefaultNames with
// dashPrefix (dash-init-E.tT.mp4, dash-seg-$Number$.tT.m4s).
type dashNames struct{}

func (dashNames) Init(init *segment.Init, track int) string {
	return dashPrefix + dash.DefaultNames{}.Init(init, track)
}

func (dashNames) Media(init *segment.Init, track int) string {
	return dashPrefix + dash.DefaultNames{}.Media(init, track)
}

// serveMPD answers the DASH manifest. It is rendered per request, not
// cached: its publishTime doubles as the UTCTiming players set their clock
// by, so it must be the time of the answer. The session's query goes on
// its SegmentTemplate's initialization and media URIs.
func (h *Handler) serveMPD(rc *fasthttp.RequestCtx, st live.Stream, name string, g grant) {
	_, boxes := imageBoxes(st)
	images, imageMedia := dashImages(boxes)
	b, err := await(h, h.ready, st, func(w *segment.Window) ([]byte, error) {
		o := dash.Options{Names: dashNames{}, PublishTime: time.Now(), Images: images, ImageMedia: imageMedia}
		h.protectDASH(name, &o, licenseBase(rc), g.m3u8())
		return dash.MPD(w, o)
	})
	switch {
	case err == nil:
		writeBody(rc, typeMPD, cacheNone, withMPDQuery(b, g.xml()))
	case errors.Is(err, errNotReady):
		writeNotReady(rc, "stream "+strconv.Quote(name)+" has no segment yet")
	case errors.Is(err, drm.ErrUnavailable):
		h.keyFailed(rc, name, err)
	default:
		h.internal(rc, name, err)
	}
}
