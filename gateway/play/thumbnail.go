package play

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/live"
	"streamhive/media/dash"
	"streamhive/media/hls"
	"streamhive/media/preview"
	"streamhive/media/segment"
)

// thumbRoute is a thumbnail URL, images-WxH/seg-FROM-OFFSET.hls.jpg (live)
// or images-WxH/dvr-FROM-OFFSET.m4v.jpg (archive): the box the picture is
// fitted into and the moment (FROM+OFFSET, UTC seconds) it shows.
type thumbRoute struct {
	w, h int
	at   int64
	dvr  bool // from the stream's archive
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
	w, h, ok := parseBox(dir)
	if !ok {
		return thumbRoute{}, false
	}
	span, ok := strings.CutPrefix(file, "seg-")
	span, ok2 := strings.CutSuffix(span, ".hls.jpg")
	dvr := false
	if !ok {
		span, ok = strings.CutPrefix(file, "dvr-")
		span, ok2 = strings.CutSuffix(span, ".m4v.jpg")
		dvr = true
	}
	fs, offs, ok3 := strings.Cut(span, "-")
	from, okF := smallInt(fs, maxThumbDigits)
	offset, okO := smallInt(offs, maxThumbDigits)
	if !ok || !ok2 || !ok3 || !okF || !okO {
		return thumbRoute{}, false
	}
	return thumbRoute{w: w, h: h, at: from + offset, dvr: dvr}, true
}

// parseBox reads an image track's directory, images-WxH.
func parseBox(dir string) (w, h int, ok bool) {
	dims, ok := strings.CutPrefix(dir, "images-")
	if !ok {
		return 0, 0, false
	}
	ws, hs, ok := strings.Cut(dims, "x")
	w64, okW := smallInt(ws, 4)
	h64, okH := smallInt(hs, 4)
	if !ok || !okW || !okH || w64 == 0 || h64 == 0 || w64 > maxThumbSide || h64 > maxThumbSide {
		return 0, 0, false
	}
	return int(w64), int(h64), true
}

// imagePlaylistFile is the image media playlist's name in its track's
// directory: images-WxH/index.m3u8.
const imagePlaylistFile = "index.m3u8"

// parseImagePlaylist reads images-WxH/index.m3u8.
func parseImagePlaylist(dir, file string) (thumbRoute, bool) {
	w, h, ok := parseBox(dir)
	if !ok || file != imagePlaylistFile {
		return thumbRoute{}, false
	}
	return thumbRoute{w: w, h: h}, true
}

// thumbnailName is a live thumbnail's URL in its track's directory: the
// keyframe nearest the UTC second at.
func thumbnailName(at int64) string { return "seg-" + strconv.FormatInt(at, 10) + "-0.hls.jpg" }

// imageBoxes reports whether st serves thumbnails and the boxes its image
// tracks announce (its `thumbnails` directive's sizes).
func imageBoxes(st live.Stream) (on bool, boxes []preview.Box) {
	th, ok := st.(live.Thumbnails)
	if !ok {
		return false, nil
	}
	return th.ThumbnailBoxes()
}

// imageKey names the image tracks of boxes for the playlist cache.
func imageKey(boxes []preview.Box) string {
	var b strings.Builder
	for _, x := range boxes {
		fmt.Fprintf(&b, "%dx%d ", x.W, x.H)
	}
	return b.String()
}

// hlsImages are the image tracks a master announces.
func hlsImages(boxes []preview.Box) []hls.Image {
	var out []hls.Image
	for _, x := range boxes {
		out = append(out, hls.Image{Width: x.W, Height: x.H, URI: fmt.Sprintf("images-%dx%d/%s", x.W, x.H, imagePlaylistFile)})
	}
	return out
}

// dashImages are the image tracks an MPD announces and their template:
// $Time$ is the seconds since the Period's start, whose UTC second is from.
func dashImages(boxes []preview.Box) ([]dash.Image, func(from int64) string) {
	var out []dash.Image
	for _, x := range boxes {
		out = append(out, dash.Image{Width: x.W, Height: x.H})
	}
	return out, func(from int64) string {
		return "$RepresentationID$/seg-" + strconv.FormatInt(from, 10) + "-$Time$.hls.jpg"
	}
}

// thumbnailsOff answers a thumbnail URL of a stream whose thumbnails are
// off as Flussonic does: 403.
func thumbnailsOff(rc *fasthttp.RequestCtx, name string) {
	writeError(rc, fasthttp.StatusForbidden, codeDisabled, "thumbnails are off for stream "+strconv.Quote(name))
}

// serveImagePlaylist answers the image media playlist of a box: one
// thumbnail per segment of the live window.
func (h *Handler) serveImagePlaylist(rc *fasthttp.RequestCtx, st live.Stream, r route, g grant) {
	if on, _ := imageBoxes(st); !on {
		thumbnailsOff(rc, r.name)
		return
	}
	key := playlistKey{kind: r.kind, images: imageKey([]preview.Box{{W: r.thumb.w, H: r.thumb.h}})}
	pl, err := await(h, h.ready, st, func(w *segment.Window) (rendering, error) {
		return h.cache.get(r.name, w, key, func() ([]byte, error) {
			return hls.ImagePlaylist(w, hls.ImageOptions{Width: r.thumb.w, Height: r.thumb.h, Name: thumbnailName})
		})
	})
	switch {
	case err == nil:
		writeBody(rc, typeM3U8, cacheNone, pl.splice(g.m3u8()))
	case errors.Is(err, errNotReady), errors.Is(err, hls.ErrNotReady):
		writeNotReady(rc, "stream "+strconv.Quote(r.name)+" has no segment yet")
	default:
		h.internal(rc, r.name, err)
	}
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
	if on, _ := th.ThumbnailBoxes(); !on {
		thumbnailsOff(rc, r.name)
		return
	}
	if r.thumb.dvr {
		a := archiveOf(st)
		if a == nil {
			writeError(rc, fasthttp.StatusNotFound, codeNotFound, "stream "+strconv.Quote(r.name)+" has no DVR")
			return
		}
		h.serveArchiveJPEG(rc, a, r.name, time.Unix(r.thumb.at, 0), preview.Box{W: r.thumb.w, H: r.thumb.h})
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
