package play

import (
	"errors"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media/dvr"
	"streamhive/media/dvr/export"
	"streamhive/media/preview"
	"streamhive/media/transcode"
)

// jpegLookahead bounds how far after FROM a thumbnail looks for a record
// when FROM falls into a gap: a few segments.
const jpegLookahead = 10 * time.Second

// serveArchiveJPEG answers FROM.jpg: the keyframe that starts the record
// holding FROM (the nearest keyframe at or before it), or when FROM falls
// into a gap the first record after it within jpegLookahead, decoded and
// encoded as a JPEG (media/transcode, as the live preview). The picture of
// a record never changes, so the answer is cacheable. An archive
// thumbnail (images-WxH/dvr-FROM-OFFSET.m4v.jpg) is the same picture fitted
// into its box; the zero box keeps the frame's size.
func (h *Handler) serveArchiveJPEG(rc *fasthttp.RequestCtx, a dvr.Archive, name string, at time.Time, box preview.Box) {
	recs := a.Records(at, at.Add(jpegLookahead))
	if len(recs) == 0 {
		h.archiveFailed(rc, name, errNoRecording)
		return
	}
	track, f, err := export.Keyframe(a, recs[0])
	if errors.Is(err, export.ErrNoKeyframe) {
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, err.Error())
		return
	}
	if err != nil {
		h.archiveFailed(rc, name, err)
		return
	}
	b, err := transcode.KeyframeJPEG(track, f)
	if err == nil {
		b, err = preview.Fit(b, box)
	}
	if err != nil {
		h.internal(rc, name, err)
		return
	}
	writeBody(rc, typeJPEG, cacheSegment, b)
}
