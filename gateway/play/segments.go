package play

import (
	"errors"
	"strconv"

	"github.com/valyala/fasthttp"

	"streamhive/media"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

// serveSegment answers a segment, an LL-HLS part or an init segment from
// the window, without copying its bytes. A segment or part that is not
// published yet but may be soon (the preload hint, a player a little
// ahead) is waited for, as long as a blocking reload would be.
func (h *Handler) serveSegment(rc *fasthttp.RequestCtx, st Stream, r route) {
	sg := st.Segmenter()
	var w *segment.Window
	if sg != nil {
		w = sg.Window()
	}
	// Not producing: no player that read a playlist asks this, so no wait.
	if w == nil || (len(w.Segments) == 0 && w.Partial == nil && !w.Ended) {
		writeNotReady(rc, "stream "+strconv.Quote(r.name)+" has no segment yet")
		return
	}
	ref := r.ref
	if ref.Init {
		h.serveInit(rc, w, ref)
		return
	}
	if !w.Has(ref.MSN, ref.Part) && !w.Ended {
		ctx, cancel := h.waitContext(blockLimit(w))
		err := sg.Wait(ctx, ref.MSN, ref.Part)
		cancel()
		switch {
		case errors.Is(err, segment.ErrTooFarAhead):
			writeError(rc, fasthttp.StatusNotFound, codeNotFound, "segment "+strconv.FormatUint(ref.MSN, 10)+" is too far ahead")
			return
		case err != nil && !errors.Is(err, segment.ErrClosed):
			writeNotReady(rc, "segment "+strconv.FormatUint(ref.MSN, 10)+" did not appear in time")
			return
		}
		w = sg.Window()
	}
	body, typ := lookup(w, ref)
	if body == nil {
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, "no such segment")
		return
	}
	writeBody(rc, typ, cacheSegment, body)
}

// lookup returns the bytes and content type of a segment or part; nil when
// the window lacks it (it left the window, it never had the track, or the
// track had no sample in it).
func lookup(w *segment.Window, ref hls.Ref) ([]byte, string) {
	var ts []byte
	var cmaf [][]byte
	if ref.Part < 0 {
		seg := w.Segment(ref.MSN)
		if seg == nil {
			return nil, ""
		}
		ts, cmaf = seg.TS, seg.CMAF
	} else {
		p := w.Part(ref.MSN, ref.Part)
		if p == nil {
			return nil, ""
		}
		ts, cmaf = p.TS, p.CMAF
	}
	if ref.Format == hls.TS {
		return nonEmpty(ts), typeTS
	}
	if ref.Track >= len(cmaf) {
		return nil, ""
	}
	return nonEmpty(cmaf[ref.Track]), typeSegment
}

func nonEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// serveInit answers a CMAF init segment of the current epoch or of an
// older one still in the window.
func (h *Handler) serveInit(rc *fasthttp.RequestCtx, w *segment.Window, ref hls.Ref) {
	init := findInit(w, ref.Epoch)
	if init == nil || ref.Track >= len(init.CMAF) || len(init.CMAF[ref.Track]) == 0 {
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, "no such init segment")
		return
	}
	typ := typeVideoMP
	if init.Tracks[ref.Track].Codec.Kind() == media.KindAudio {
		typ = typeAudioMP
	}
	writeBody(rc, typ, cacheSegment, init.CMAF[ref.Track])
}

// findInit returns the init of epoch in w, or nil.
func findInit(w *segment.Window, epoch int) *segment.Init {
	if w.Init != nil && w.Init.Epoch == epoch {
		return w.Init
	}
	for _, s := range w.Segments {
		if s.Init.Epoch == epoch {
			return s.Init
		}
	}
	return nil
}
