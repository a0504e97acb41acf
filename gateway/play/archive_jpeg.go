package play

import (
	"errors"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media/dvr"
	"streamhive/media/dvr/export"
	"streamhive/media/transcode"
)

// jpegLookahead bounds how far after FROM a thumbnail looks for a record
// when FROM falls into a gap: a few segments.
const jpegLookahead = 10 * time.Second

// serveArchiveJPEG answers FROM.jpg: the keyframe that starts the record
// holding FROM (the nearest keyframe at or before it), or when FROM falls
// into a gap the first record after it within jpegLookahead, decoded and
// encoded as a JPEG (media/transcode, as the live preview). The picture of
// a record never changes, so the answer is cacheable.
func (h *Handler) serveArchiveJPEG(rc *fasthttp.RequestCtx, a dvr.Archive, r route) {
	at := unix(r.arc.win.from)
	recs := a.Records(at, at.Add(jpegLookahead))
	if len(recs) == 0 {
		h.archiveFailed(rc, r.name, errNoRecording)
		return
	}
	track, f, err := export.Keyframe(a, recs[0])
	if errors.Is(err, export.ErrNoKeyframe) {
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, err.Error())
		return
	}
	if err != nil {
		h.archiveFailed(rc, r.name, err)
		return
	}
	b, err := transcode.KeyframeJPEG(track, f)
	if err != nil {
		h.internal(rc, r.name, err)
		return
	}
	writeBody(rc, typeJPEG, cacheSegment, b)
}
