package play

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/live"
)

// thumbRoute is a thumbnail URL, images-WxH/seg-FROM-OFFSET.hls.jpg: the
// box the picture is fitted into and the moment (FROM+OFFSET, UTC seconds)
// it shows.
type thumbRoute struct {
	w, h int
	at   int64
}

// Bounds of a thumbnail URL's numbers: a box no larger than a 4K frame,
// and times of at most 12 digits (UTC seconds until the year 33658).
const (
	maxThumbSide   = 4096
	maxThumbDigits = 12
)

// parseThumbnail reads the last two path elements of a thumbnail URL
// ("images-320x240", "seg-1641045644-20.hls.jpg").
func parseThumbnail(dir, file string) (thumbRoute, bool) {
	dims, ok := strings.CutPrefix(dir, "images-")
	if !ok {
		return thumbRoute{}, false
	}
	ws, hs, ok := strings.Cut(dims, "x")
	w, okW := smallInt(ws, 4)
	h, okH := smallInt(hs, 4)
	if !ok || !okW || !okH || w == 0 || h == 0 || w > maxThumbSide || h > maxThumbSide {
		return thumbRoute{}, false
	}
	span, ok := strings.CutPrefix(file, "seg-")
	span, ok2 := strings.CutSuffix(span, ".hls.jpg")
	fs, offs, ok3 := strings.Cut(span, "-")
	from, okF := smallInt(fs, maxThumbDigits)
	offset, okO := smallInt(offs, maxThumbDigits)
	if !ok || !ok2 || !ok3 || !okF || !okO {
		return thumbRoute{}, false
	}
	return thumbRoute{w: int(w), h: int(h), at: from + offset}, true
}

// smallInt parses s as a non-negative decimal of at most digits digits,
// without sign or leading zeros.
func smallInt(s string, digits int) (int64, bool) {
	if s == "" || len(s) > digits || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n >= 0 && s[0] != '+'
}

// serveThumbnail answers a thumbnail: the stream's recent keyframe nearest
// the asked moment, fitted into the asked box, from the stream's shared
// thumbnail cache (no decoder per viewer).
func (h *Handler) serveThumbnail(rc *fasthttp.RequestCtx, st live.Stream, r route) {
	th, ok := st.(live.Thumbnails)
	if !ok {
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, "stream "+strconv.Quote(r.name)+" has no thumbnails here")
		return
	}
	ctx, cancel := h.waitContext(h.ready)
	defer cancel()
	b, err := th.Thumbnail(ctx, time.Unix(r.thumb.at, 0), r.thumb.w, r.thumb.h)
	switch {
	case err == nil:
		writeBody(rc, typeJPEG, cacheNone, b)
	case errors.Is(err, live.ErrNotProducing), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		writeNotReady(rc, "stream "+strconv.Quote(r.name)+" has no picture yet")
	default:
		h.internal(rc, r.name, err)
	}
}
