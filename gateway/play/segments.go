package play

import (
	"context"
	"errors"
	"strconv"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/live"
	"streamhive/media"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

// serveSegment answers a segment, an LL-HLS part or an init segment, with
// the stream's bytes as they are (Stream.Media: no copy). A segment or part
// that is not published yet but may be soon (the preload hint, a player a
// little ahead) is waited for, as long as a blocking reload would be.
func (h *Handler) serveSegment(rc *fasthttp.RequestCtx, st live.Stream, r route) {
	w := st.Window()
	// Not producing: no player that read a playlist asks this, so no wait.
	if w == nil || (len(w.Segments) == 0 && w.Partial == nil && !w.Ended) {
		writeNotReady(rc, "stream "+strconv.Quote(r.name)+" has no segment yet")
		return
	}
	ref := r.ref
	ctx := h.ctx // a fetch ends with the Handler; a wait also with its limit
	if !ref.Init && !w.Has(ref.MSN, ref.Part) && !w.Ended {
		var cancel context.CancelFunc
		ctx, cancel = h.waitContext(blockLimit(w))
		defer cancel()
		switch err := st.Wait(ctx, ref.MSN, ref.Part); {
		case errors.Is(err, segment.ErrTooFarAhead):
			writeError(rc, fasthttp.StatusNotFound, codeNotFound, "segment "+strconv.FormatUint(ref.MSN, 10)+" is too far ahead")
			return
		case err != nil && !errors.Is(err, segment.ErrClosed):
			writeNotReady(rc, "segment "+strconv.FormatUint(ref.MSN, 10)+" did not appear in time")
			return
		}
	}
	typ, what := typeSegment, "segment"
	switch {
	case ref.Init:
		typ, what = initType(w, ref), "init segment"
	case ref.Format == hls.TS:
		typ = typeTS
	}
	body, err := st.Media(ctx, ref)
	if err == nil && body != nil && r.tracks != "" {
		body, err = h.selectTS(ctx, st, st.Window(), r, body)
	}
	if p, ok := h.protection(r.name); ok && err == nil && body != nil {
		if body, err = h.seal(rc, st, r, p, body); err != nil {
			h.keyFailed(rc, r.name, err)
			return
		}
	}
	switch {
	case errors.Is(err, errNoSelTrack):
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, err.Error())
	case err != nil:
		h.internal(rc, r.name, err)
	case body == nil:
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, "no such "+what)
	default:
		writeBody(rc, typ, cacheSegment, body)
	}
}

// initType is the content type of the init segment ref names: its track's
// kind, from the init's epoch in w (video when w no longer has it).
func initType(w *segment.Window, ref hls.Ref) string {
	in := w.InitOf(ref.Epoch)
	if in != nil && ref.Track >= 0 && ref.Track < len(in.Tracks) && in.Tracks[ref.Track].Codec.Kind() == media.KindAudio {
		return typeAudioMP
	}
	return typeVideoMP
}
