package play

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media/drm"
	"streamhive/media/dvr"
	"streamhive/media/hls"
)

// A protected stream's archive (DVR) goes out as AES-128 HLS MPEG-TS,
// each segment encrypted with the key of the time it was recorded. A
// segment is named by its start, not by a sequence number (a window's
// numbering depends on where it is placed), so its IV is its start in
// Unix milliseconds, given in an EXT-X-KEY before each segment, and its
// key URI names that time (at=) for the key endpoint to find the key by.
// The fMP4 and DASH archive, MP4 and pictures stay refused.

// atKey is the key URI's query naming the recording time (Unix ms) of
// an archive key.
const atKey = "at"

// archiveEncryptable: the archive outputs this layer encrypts or that
// carry no media.
func archiveEncryptable(a archiveRoute) bool {
	switch a.kind {
	case arcStatus:
		return true
	case arcMaster, arcMedia, arcSegment:
		return a.format == hls.TS
	case arcInit, arcDASHSeg, arcMPD, arcTS, arcMP4, arcJPEG, arcLiveTS, arcPreviewMP4:
		return false
	}
	return false
}

// archiveIV is the IV of the archived segment starting at ms.
func archiveIV(ms int64) []byte { return drm.SequenceIV(uint64(ms)) }

var pdtTag = []byte("#EXT-X-PROGRAM-DATE-TIME:")

// protectArchivePlaylist puts the key of each segment's recording time
// before it (every archive TS segment has its PROGRAM-DATE-TIME).
func protectArchivePlaylist(pl []byte, keys drm.KeySource) ([]byte, error) {
	var out bytes.Buffer
	for len(pl) > 0 {
		line := pl
		if i := bytes.IndexByte(pl, '\n'); i >= 0 {
			line = pl[:i+1]
		}
		pl = pl[len(line):]
		if v, ok := bytes.CutPrefix(bytes.TrimSpace(line), pdtTag); ok {
			at, err := time.Parse(pdtLayout, string(v))
			if err != nil {
				return nil, err
			}
			k, err := keys.KeyAt(at)
			if err != nil {
				return nil, err
			}
			uri := drmDir + drmKeyFile + "?kid=" + hex.EncodeToString(k.KID[:]) + "&" + atKey + "=" + strconv.FormatInt(at.UnixMilli(), 10)
			out.WriteString("#EXT-X-KEY:METHOD=AES-128,URI=\"" + uri + "\",IV=0x" + hex.EncodeToString(archiveIV(at.UnixMilli())) + "\n")
		}
		out.Write(line)
	}
	return out.Bytes(), nil
}

// sealArchiveTS encrypts an archived TS segment with the key of its start.
func sealArchiveTS(rec dvr.Record, keys drm.KeySource, body []byte) ([]byte, error) {
	k, err := keys.KeyAt(rec.Start)
	if err != nil {
		return nil, err
	}
	return drm.EncryptAES128(body, k, archiveIV(rec.Start.UnixMilli()))
}

// archiveKeys is the key of the recording time the key URI names (at=),
// for a player of the archive; nil without one.
func archiveKeys(rc *fasthttp.RequestCtx, src drm.KeySource) ([]drm.Key, error) {
	at := rc.QueryArgs().Peek(atKey)
	if len(at) == 0 {
		return nil, nil
	}
	ms, err := strconv.ParseInt(string(at), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%w: at=%q is no time", drm.ErrUnavailable, at)
	}
	k, err := src.KeyAt(time.UnixMilli(ms))
	if err != nil {
		return nil, err
	}
	return []drm.Key{k}, nil
}
