package play

import (
	"errors"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/live"
	"streamhive/media/dvr"
	"streamhive/media/preview"
)

// Archived is what a Stream that records offers besides live playback: its
// DVR archive. The handler finds it with a type assertion, so a Stream
// without it (or whose Archive returns nil: no `dvr` configured) answers
// every archive URL 404.
type Archived interface {
	Archive() dvr.Archive
}

// Errors of archive requests.
var (
	// errNoRecording: the window holds no record (404).
	errNoRecording = errors.New("play: no recording in the requested range")
	// errNoTrackHere: an fMP4 playlist of a track the window's epochs lack (404).
	errNoTrackHere = errors.New("play: no such track in the recording")
)

// archiveOf returns st's archive, nil when it does not record.
func archiveOf(st live.Stream) dvr.Archive {
	if x, ok := st.(Archived); ok {
		return x.Archive()
	}
	return nil
}

// serveArchive answers an archive URL. The archive is read on the request
// goroutine (its index is in memory; segment reads are one file each);
// nothing waits for the stream.
func (h *Handler) serveArchive(rc *fasthttp.RequestCtx, st live.Stream, r route, g grant) {
	a := archiveOf(st)
	if a == nil {
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, "stream "+strconv.Quote(r.name)+" has no DVR")
		return
	}
	switch r.arc.kind {
	case arcMaster:
		h.serveArchiveMaster(rc, a, r, g)
	case arcMedia:
		h.serveArchiveMedia(rc, a, r, g)
	case arcSegment, arcInit, arcDASHSeg:
		h.serveArchiveSegment(rc, a, r)
	case arcMPD:
		h.serveArchiveMPD(rc, a, r, g)
	case arcTS:
		h.serveArchiveTS(rc, a, r, g)
	case arcLiveTS:
		h.serveArchiveLiveTS(rc, a, r, g)
	case arcMP4:
		h.serveArchiveMP4(rc, a, r, g)
	case arcJPEG:
		h.serveArchiveJPEG(rc, a, r.name, unix(r.arc.win.from), preview.Box{})
	case arcPreviewMP4:
		h.serveArchivePreviewMP4(rc, a, r)
	case arcStatus:
		serveRecordingStatus(rc, a)
	}
}

// archiveFailed answers an error of an archive request: 404 for a range
// without recording (or a record that retention removed), 500 otherwise.
func (h *Handler) archiveFailed(rc *fasthttp.RequestCtx, name string, err error) {
	switch {
	case errors.Is(err, errNoRecording), errors.Is(err, dvr.ErrGone), errors.Is(err, errNoTrackHere):
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, err.Error())
	default:
		h.internal(rc, name, err)
	}
}

// unix converts Unix seconds to a time.
func unix(secs int64) time.Time { return time.Unix(secs, 0).UTC() }

// secsDur converts seconds to a duration.
func secsDur(secs int64) time.Duration { return time.Duration(secs) * time.Second }
