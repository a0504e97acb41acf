package play

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/live"
	"streamhive/media/drm"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

// errNoVideo: video.m3u8 of a stream without a video track.
var errNoVideo = errors.New("play: stream has no video track")

// errBadDirective: a malformed or incomplete playlist delivery directive.
var errBadDirective = errors.New("play: bad playlist delivery directive")

// servePlaylist answers a master or media playlist, after the blocking
// reload its directives ask for, with the session's query on its URIs.
func (h *Handler) servePlaylist(rc *fasthttp.RequestCtx, st live.Stream, r route, g grant) {
	if r.kind == kindMedia {
		msn, part, blocking, err := reloadDirectives(rc.QueryArgs())
		if err != nil {
			writeError(rc, fasthttp.StatusBadRequest, codeBadReload, err.Error())
			return
		}
		if blocking && !h.block(rc, st, msn, part) {
			return
		}
		r.skip = skipDirective(rc.QueryArgs())
	}
	key := playlistKey{kind: r.kind, format: r.format, lowLatency: r.lowLatency, track: r.track, skip: r.skip, tracks: r.tracks, stb: r.stb}
	var images []hls.Image
	if r.kind == kindMaster {
		_, boxes := imageBoxes(st)
		images, key.images = hlsImages(boxes), imageKey(boxes)
	}
	pl, err := await(h, h.ready, st, func(w *segment.Window) (rendering, error) {
		return h.cache.get(r.name, w, key, func() ([]byte, error) {
			pl, err := renderPlaylist(w, r, images)
			return h.protectPlaylist(r, pl, err)
		})
	})
	switch {
	case err == nil:
		writeSpliced(rc, typeM3U8, cacheNone, pl, g.m3u8())
	case errors.Is(err, errNotReady):
		writeNotReady(rc, "stream "+strconv.Quote(r.name)+" has no segment yet")
	case errors.Is(err, hls.ErrNoTrack), errors.Is(err, errNoVideo), errors.Is(err, errNoSelTrack):
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, err.Error())
	case errors.Is(err, drm.ErrUnavailable):
		h.keyFailed(rc, r.name, err)
	default:
		h.internal(rc, r.name, err)
	}
}

// renderPlaylist renders r's playlist of w; a master announces images
// (a track selection's master does not: it is one variant for a device
// that asked for exactly those tracks).
func renderPlaylist(w *segment.Window, r route, images []hls.Image) ([]byte, error) {
	if r.tracks != "" || r.stb {
		return renderSelection(w, r)
	}
	names := hls.DefaultNames{}
	if len(w.Segments) == 0 && (!r.lowLatency || w.Partial == nil) {
		return nil, hls.ErrNotReady // no tracks may be known yet either
	}
	if r.kind == kindMaster {
		return hls.Master(w, hls.MasterOptions{Format: r.format, LowLatency: r.lowLatency, Names: names, Images: images})
	}
	if len(w.Segments) == 0 && (!r.lowLatency || w.Partial == nil) {
		return nil, hls.ErrNotReady // no tracks may be known yet either
	}
	return hls.Media(w, hls.MediaOptions{Format: r.format, Track: r.track, LowLatency: r.lowLatency, Skip: r.skip, Names: names})
}

// skipDirective reads _HLS_skip (RFC 8216bis 6.2.5.1): YES, or v2 (which
// also skips date ranges; the playlists carry none), asks for a delta
// update. Any other value is a full playlist.
func skipDirective(q *fasthttp.Args) bool {
	v := string(q.Peek("_HLS_skip"))
	return v == "YES" || v == "v2"
}

// reloadDirectives reads the playlist delivery directives of a blocking
// reload (RFC 8216bis 6.2.5.2): _HLS_msn and the optional _HLS_part. part
// is -1 without _HLS_part. _HLS_part without _HLS_msn is an error, as the
// RFC requires.
func reloadDirectives(q *fasthttp.Args) (msn uint64, part int, blocking bool, err error) {
	m, p := q.Peek("_HLS_msn"), q.Peek("_HLS_part")
	part = -1
	if m == nil {
		if p != nil {
			return 0, 0, false, fmt.Errorf("%w: _HLS_part without _HLS_msn", errBadDirective)
		}
		return 0, -1, false, nil
	}
	if msn, err = strconv.ParseUint(string(m), 10, 64); err != nil {
		return 0, 0, false, fmt.Errorf("%w: _HLS_msn=%q", errBadDirective, m)
	}
	if p != nil {
		n, err := strconv.Atoi(string(p))
		if err != nil || n < 0 {
			return 0, 0, false, fmt.Errorf("%w: _HLS_part=%q", errBadDirective, p)
		}
		part = n
	}
	return msn, part, true, nil
}

// block waits until the stream's window holds segment msn (part -1) or
// part `part` of it. It returns true when the playlist may be served (the
// wait succeeded, or the stream ended and will never hold more); otherwise
// it has written the answer: 400 for a request too far ahead, 503 when the
// stream is not producing or the wait timed out.
func (h *Handler) block(rc *fasthttp.RequestCtx, st live.Stream, msn uint64, part int) bool {
	w, err := await(h, h.ready, st, func(w *segment.Window) (*segment.Window, error) { return w, nil })
	if err != nil {
		writeNotReady(rc, "stream is not producing")
		return false
	}
	ctx, cancel := h.waitContext(blockLimit(w))
	defer cancel()
	switch err := st.Wait(ctx, msn, part); {
	case err == nil, errors.Is(err, segment.ErrClosed):
		return true
	case errors.Is(err, segment.ErrTooFarAhead):
		writeError(rc, fasthttp.StatusBadRequest, codeBadReload, err.Error())
	default:
		writeNotReady(rc, fmt.Sprintf("segment %d part %d did not appear in time", msn, part))
	}
	return false
}

// blockLimit bounds a blocking reload or an early segment request: three
// target durations. A live stream publishes a part or segment well within
// that; past it the stream has stalled and the player is better off
// hearing so (503, retry) than hanging.
func blockLimit(w *segment.Window) time.Duration {
	return max(3*w.TargetDuration, time.Second)
}

// internal logs err and answers 500.
func (h *Handler) internal(rc *fasthttp.RequestCtx, stream string, err error) {
	h.log.Error("play: cannot answer", "stream", stream, "path", string(rc.Path()), "err", err)
	writeError(rc, fasthttp.StatusInternalServerError, codeInternal, "internal error")
}
