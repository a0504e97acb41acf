package play

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media"
	"streamhive/media/dvr"
)

// serveArchivePreviewMP4 answers FROM-preview.mp4: the first archived
// video keyframe at or after FROM (within jpegLookahead; records start
// with one) as a small fragmented MP4, like the live preview.mp4: the
// record's video init segment and its first fragment (its first LL-HLS
// part, which starts with the keyframe), no re-encoding. When no record
// starts in the lookahead, the record holding FROM gives its keyframe. A
// record never changes, so the answer is cacheable.
func (h *Handler) serveArchivePreviewMP4(rc *fasthttp.RequestCtx, a dvr.Archive, r route) {
	at := unix(r.arc.win.from)
	recs := a.Records(at, at.Add(jpegLookahead))
	if len(recs) == 0 {
		h.archiveFailed(rc, r.name, errNoRecording)
		return
	}
	rec := recs[0]
	for _, c := range recs {
		if !c.Start.Before(at) {
			rec = c
			break
		}
	}
	b, err := recordPreviewMP4(a, rec)
	switch {
	case errors.Is(err, errNoVideo):
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, err.Error())
	case err != nil:
		h.archiveFailed(rc, r.name, err)
	default:
		writeBody(rc, typeVideoMP, cacheSegment, b)
	}
}

// recordPreviewMP4 returns rec's video init followed by its first video
// fragment (moof+mdat).
func recordPreviewMP4(a dvr.Archive, rec dvr.Record) ([]byte, error) {
	in, err := a.Init(rec)
	if err != nil {
		return nil, err
	}
	frags, err := a.ReadCMAF(rec)
	if err != nil {
		return nil, err
	}
	for i, t := range in.Tracks {
		if t.Codec.Kind() != media.KindVideo || i >= len(frags) || i >= len(in.CMAF) || len(frags[i]) == 0 {
			continue
		}
		frag, err := firstFragment(frags[i])
		if err != nil {
			return nil, err
		}
		out := make([]byte, 0, len(in.CMAF[i])+len(frag))
		return append(append(out, in.CMAF[i]...), frag...), nil
	}
	return nil, fmt.Errorf("%w at %s", errNoVideo, rec.Start.Format(time.RFC3339))
}

// errBadFragment: a record's CMAF does not start with moof and mdat.
var errBadFragment = errors.New("play: archived CMAF does not start with moof+mdat")

// firstFragment returns the first moof box of b and the mdat after it.
func firstFragment(b []byte) ([]byte, error) {
	n := 0
	for _, typ := range []string{"moof", "mdat"} {
		if len(b)-n < 8 || string(b[n+4:n+8]) != typ {
			return nil, errBadFragment
		}
		size := int(binary.BigEndian.Uint32(b[n:]))
		if size < 8 || size > len(b)-n {
			return nil, errBadFragment
		}
		n += size
	}
	return b[:n], nil
}
