package play

import (
	"errors"
	"strconv"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/live"
	"streamhive/media"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

// errNoPreviewFrame: the window has no finished segment with a video
// keyframe to show.
var errNoPreviewFrame = errors.New("play: no keyframe to show yet")

// servePreviewMP4 answers preview.mp4: the latest keyframe of the stream's
// video as a small fragmented MP4 a browser shows as a picture. It is the
// CMAF the segmenter made already, not a new encoding: the init segment of
// the video track and the first part of the newest finished segment,
// which starts with its keyframe (the part's few frames after it play on
// from there).
func (h *Handler) servePreviewMP4(rc *fasthttp.RequestCtx, st live.Stream, name string) {
	w, err := await(h, h.ready, st, func(w *segment.Window) (*segment.Window, error) {
		if len(w.Segments) == 0 {
			return nil, errNotReady
		}
		return w, nil
	})
	if err != nil {
		writeNotReady(rc, "stream "+strconv.Quote(name)+" has no keyframe yet")
		return
	}
	seg := w.Segments[len(w.Segments)-1]
	track := -1
	for _, t := range seg.Init.Tracks {
		if t.Codec.Kind() == media.KindVideo {
			track = t.ID
			break
		}
	}
	if track < 0 || len(seg.Parts) == 0 {
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, errNoVideo.Error())
		return
	}
	init, err := st.Media(h.ctx, hls.Ref{Format: hls.FMP4, Init: true, Epoch: seg.Init.Epoch, Track: track})
	if err != nil {
		h.internal(rc, name, err)
		return
	}
	frag, err := st.Media(h.ctx, hls.Ref{Format: hls.FMP4, MSN: seg.MSN, Part: 0, Track: track})
	if err != nil {
		h.internal(rc, name, err)
		return
	}
	if init == nil || frag == nil { // the segment left the window meanwhile
		writeNotReady(rc, errNoPreviewFrame.Error())
		return
	}
	body := make([]byte, 0, len(init)+len(frag))
	writeBody(rc, typeVideoMP, cacheNone, append(append(body, init...), frag...))
}
