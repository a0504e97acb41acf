package play

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"

	"github.com/valyala/fasthttp"

	"streamhive/media/dvr"
	"streamhive/media/dvr/export"
)

// countingWriter reports what passes through it to the session.
type countingWriter struct {
	w io.Writer
	g grant
}

func (c countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.g.Sent(n)
	return n, err
}

// codeCodecChange: an MP4 export over a change of codec parameters (409).
const codeCodecChange = "codec_change"

// serveArchiveMP4 answers archive-FROM-DUR.mp4 as a download: a
// progressive MP4 (media/dvr/export) with its Content-Length, streamed as
// it is written. A range over a codec change is 409: export the two sides
// separately. The viewer's session counts the bytes; the download ends
// early when the session ends.
func (h *Handler) serveArchiveMP4(rc *fasthttp.RequestCtx, a dvr.Archive, r route, g grant) {
	from := unix(r.arc.win.from)
	plan, err := export.Prepare(h.ctx, a, from, from.Add(secsDur(r.arc.win.secs)))
	switch {
	case errors.Is(err, export.ErrNoRecording):
		h.archiveFailed(rc, r.name, errNoRecording)
		return
	case errors.Is(err, export.ErrCodecChange):
		writeError(rc, fasthttp.StatusConflict, codeCodecChange, err.Error())
		return
	case err != nil:
		h.archiveFailed(rc, r.name, err)
		return
	}
	rc.SetStatusCode(fasthttp.StatusOK)
	rc.SetContentType(typeVideoMP)
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, cacheNone)
	rc.Response.Header.Set(fasthttp.HeaderContentDisposition,
		`attachment; filename="`+strings.ReplaceAll(r.name, "/", "_")+"-"+r.arc.win.spec()+`.mp4"`)
	if rc.IsHead() {
		rc.Response.Header.SetContentLength(int(plan.Size()))
		rc.Response.SkipBody = true
		return
	}
	// fasthttp closes the reader when the response ends, early or not,
	// which ends the writer with io.ErrClosedPipe.
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(h.ctx)
	log, name := h.log, r.name
	endWith(ctx, cancel, g.Ended(), nil) // the writer's cancel ends the watch
	go func() {
		defer cancel()
		err := plan.Write(ctx, countingWriter{pw, g})
		if err != nil && !errors.Is(err, io.ErrClosedPipe) && !errors.Is(err, context.Canceled) {
			log.Warn("play: mp4 export cut short", slog.String("stream", name), slog.Any("err", err))
		}
		pw.CloseWithError(err)
	}()
	rc.Response.SetBodyStream(pr, int(plan.Size()))
}
