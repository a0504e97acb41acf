package play

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media/drm"
	"streamhive/media/dvr"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

// A protected stream's archive (DVR) goes out encrypted with the key of
// the time each segment was recorded, as the live outputs are:
//
//   - HLS MPEG-TS: AES-128. A segment is named by its start, not by a
//     sequence number (a window's numbering depends on where it is
//     placed), so its IV is its start in Unix milliseconds, given in an
//     EXT-X-KEY before each segment, and its key URI names that time
//     (at=) for the key endpoint to find the key by. Live TS segments use
//     the same IV, so a segment is the same bytes live and archived.
//   - HLS fMP4: the stream's HLS scheme (CBCS), with the key tags and an
//     EXT-X-MAP naming the key (drm_at=) wherever the key changes.
//   - DASH: the stream's DASH scheme (CENC), one Period per key
//     (drm.DASHRotation, as live), each Period's init named by its first
//     record and so encrypted with its key.
//
// The license and key URIs name the key's time (at=): the key endpoint
// serves the live window's keys and that one.
//
// What stays refused: the range as one MPEG-TS file (archive-FROM-DUR.ts,
// timeshift .ts) has no playlist to carry key tags or IVs, and a player of
// a plain .ts expects it clear; the MP4 download is one progressive file
// that may span several keys, where a track's sample entry names one
// key id, and whoever downloads it has no license path; a JPEG or a
// one-frame preview MP4 is a picture, which no scheme here encrypts.

// atKey is the key URI's query naming the recording time (Unix ms) of
// an archive key.
const atKey = "at"

// maxAtMillis bounds at= and drm_at= (maxSeconds in milliseconds).
const maxAtMillis = maxSeconds * 1000

// errBadAt: an at= or drm_at= that is no time (400, not a key failure).
var errBadAt = errors.New("play: at= must be Unix milliseconds")

// archiveEncryptable: the archive outputs this layer encrypts or that
// carry no media.
func archiveEncryptable(a archiveRoute) bool {
	switch a.kind {
	case arcStatus, arcMaster, arcMedia, arcSegment, arcInit, arcDASHSeg, arcMPD:
		return true
	case arcTS, arcLiveTS, arcMP4, arcPreviewMP4, arcJPEG: // see above
		return false
	}
	return false
}

// tsIV is the IV of the AES-128 TS segment (and its parts) recorded
// from t: its Unix milliseconds, as the playlists give it. A time never
// comes back, where a sequence number does when a stream restarts its
// numbering within a key period.
func tsIV(t time.Time) []byte { return drm.SequenceIV(uint64(t.UnixMilli())) }

// segmentIV is the IV of a TS segment recorded from t under key k. SAMPLE-AES
// keeps the key's IV (drm.SampleAESIV) for every segment: it restarts its
// CBC chain at each slice and audio frame anyway, and ffmpeg decrypts a
// segment's last frames with the next segment's IV, which is the same one
// then.
func segmentIV(scheme drm.Scheme, k drm.Key, t time.Time) []byte {
	if scheme == drm.SampleAES {
		return drm.SampleAESIV(k)
	}
	return tsIV(t)
}

// protectArchivePlaylist puts the key of each segment's recording time
// in an archive media playlist (every segment has its PROGRAM-DATE-TIME).
func protectArchivePlaylist(pl []byte, f hls.Format, p Protection) ([]byte, error) {
	if f == hls.TS {
		// The archive's TS is AES-128 whatever ts_method is: its segments are
		// sealed whole (sealArchiveTS).
		return protectTSPlaylist(pl, drm.AES128, p.Keys, true)
	}
	return drm.ProtectMediaPlaylist(pl, drm.PlaylistKeys{
		KeyAt:   p.Keys.KeyAt,
		Tags:    func(k drm.Key) []string { return drm.HLSKeyTags(k, p.HLS, archiveKeyURI(drmClearKeyFile, k)) },
		MapLine: initAtKey,
	})
}

// archiveKeyURI is a key endpoint's URI for a past key, naming its start.
// A key of all time is the live one too and needs no name.
func archiveKeyURI(file string, k drm.Key) string {
	if k.From.IsZero() {
		return drmDir + file
	}
	return drmDir + file + "?" + atKey + "=" + strconv.FormatInt(k.From.UnixMilli(), 10)
}

var pdtTag = []byte("#EXT-X-PROGRAM-DATE-TIME:")

// protectTSPlaylist puts an EXT-X-KEY (AES-128 or SAMPLE-AES) before
// every segment of a TS media playlist: the key of its PROGRAM-DATE-TIME
// and its IV (segmentIV). The segment's parts follow its
// PROGRAM-DATE-TIME and share its key and IV, each encrypted on its own
// as hls.js and ffmpeg decrypt a part. at adds the time to the key URI
// (at=), for a key the live window no longer holds.
func protectTSPlaylist(pl []byte, scheme drm.Scheme, keys drm.KeySource, at bool) ([]byte, error) {
	method := "AES-128"
	if scheme == drm.SampleAES {
		method = "SAMPLE-AES"
	}
	var out bytes.Buffer
	for len(pl) > 0 {
		line := pl
		if i := bytes.IndexByte(pl, '\n'); i >= 0 {
			line = pl[:i+1]
		}
		pl = pl[len(line):]
		if v, ok := bytes.CutPrefix(bytes.TrimSpace(line), pdtTag); ok {
			t, err := time.Parse(time.RFC3339Nano, string(v))
			if err != nil {
				return nil, fmt.Errorf("play: playlist date %q: %w", v, err)
			}
			k, err := keys.KeyAt(t)
			if err != nil {
				return nil, err
			}
			uri := drmDir + drmKeyFile + "?kid=" + hex.EncodeToString(k.KID[:])
			if at {
				uri += "&" + atKey + "=" + strconv.FormatInt(t.UnixMilli(), 10)
			}
			out.WriteString("#EXT-X-KEY:METHOD=" + method + ",URI=\"" + uri + "\",IV=0x" + hex.EncodeToString(segmentIV(scheme, k, t)) + "\n")
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
	return drm.EncryptAES128(body, k, tsIV(rec.Start))
}

// archiveCMAFScheme is the scheme of an archived init or fragment: DASH's
// for the names the MPD lists, HLS's for the playlists'.
func archiveCMAFScheme(a archiveRoute, p Protection) drm.Scheme {
	if a.dash || a.kind == arcDASHSeg {
		return p.DASH
	}
	return p.HLS
}

// sealArchiveCMAF encrypts an archived fragment of track (nil frag: its
// init) with the key of the time at. Not cached: an archive read is one
// file, and archived segments are cacheable downstream.
func sealArchiveCMAF(a archiveRoute, p Protection, at time.Time, init, frag []byte) ([]byte, error) {
	k, err := p.Keys.KeyAt(at)
	if err != nil {
		return nil, err
	}
	t, err := drm.ProtectTrack(init, k, archiveCMAFScheme(a, p), a.track)
	if err != nil {
		return nil, err
	}
	if frag == nil {
		return t.Init(), nil
	}
	return t.Encrypt(frag, at)
}

// sealArchiveFragment encrypts an archived fragment of rec with the key
// of rec's start, under its epoch's init.
func (h *Handler) sealArchiveFragment(ar archiveRoute, p Protection, a dvr.Archive, rec dvr.Record, frag []byte) ([]byte, error) {
	in, err := a.Init(rec)
	if err != nil {
		return nil, err
	}
	if ar.track >= len(in.CMAF) || len(in.CMAF[ar.track]) == 0 {
		return nil, fmt.Errorf("%w: track %d", errNoTrackHere, ar.track)
	}
	return sealArchiveCMAF(ar, p, rec.Start, in.CMAF[ar.track], frag)
}

// sealFailed answers an archive output that could not be encrypted: 503
// when its key cannot be had, else as any archive error. Never clear.
func (h *Handler) sealFailed(rc *fasthttp.RequestCtx, name string, err error) {
	if errors.Is(err, drm.ErrUnavailable) {
		h.keyFailed(rc, name, err)
		return
	}
	h.archiveFailed(rc, name, err)
}

// initTime is the time whose key an archived init is encrypted with: the
// drm_at of an HLS EXT-X-MAP (initAtKey), else the record it is named by
// (a DASH Period's first record, under the Period's key).
func initTime(rc *fasthttp.RequestCtx, rec dvr.Record) (time.Time, error) {
	v := rc.QueryArgs().Peek(drmAtKey)
	if v == nil {
		return rec.Start, nil
	}
	ms, err := atoi64Canon(string(v))
	if err != nil || ms >= maxAtMillis {
		return time.Time{}, fmt.Errorf("%w: %s=%.40q", errBadAt, drmAtKey, v)
	}
	return time.UnixMilli(ms), nil
}

// archiveRun is one Period of an archive MPD: records without a gap, and
// under one key when protected, and the ContentProtection its audio and
// video AdaptationSets open with.
type archiveRun struct {
	recs        []dvr.Record
	descriptors string
}

// keyRuns splits recs before every gap (gapRuns) and at every key change
// with the live MPD's rotation (drm.DASHRotation), which reads a record
// as the segment it was: its recording time and decode time.
func keyRuns(recs []dvr.Record, rot drm.DASHRotation) ([]archiveRun, error) {
	var out []archiveRun
	for _, gr := range gapRuns(recs) {
		run := gr.recs
		segs := make([]*segment.Segment, len(run))
		for i, r := range run {
			segs[i] = &segment.Segment{ProgramDateTime: r.Start, DTS: r.DTS}
		}
		ps, err := rot.Periods(segs)
		if err != nil {
			return nil, err
		}
		lo := 0
		for _, p := range ps {
			out = append(out, archiveRun{recs: run[lo : lo+len(p.Segments)], descriptors: p.Descriptors})
			lo += len(p.Segments)
		}
	}
	return out, nil
}

// archiveRotation is the key rotation of a protected archive MPD: each
// Period's ClearKey license URL names its key's time (absolute, as live:
// see licenseBase), with the session's query.
func archiveRotation(p Protection, base, name, query string) drm.DASHRotation {
	return drm.DASHRotation{
		Keys: p.Keys, Scheme: p.DASH,
		KeyLicenseURL: func(k drm.Key) string {
			la := base + "/" + name + "/" + archiveKeyURI(drmClearKeyFile, k)
			switch {
			case query == "":
			case k.From.IsZero():
				la += "?" + query
			default:
				la += "&" + query
			}
			return la
		},
	}
}

// archiveKeys is the key of the recording time the key URI names (at=),
// for a player of the archive; nil without one. An at= that is no time
// wraps errBadAt.
func archiveKeys(rc *fasthttp.RequestCtx, src drm.KeySource) ([]drm.Key, error) {
	at := rc.QueryArgs().Peek(atKey)
	if at == nil {
		return nil, nil
	}
	ms, err := atoi64Canon(string(at))
	if err != nil || ms >= maxAtMillis {
		return nil, fmt.Errorf("%w: %s=%.40q", errBadAt, atKey, at)
	}
	k, err := src.KeyAt(time.UnixMilli(ms))
	if err != nil {
		return nil, err
	}
	return []drm.Key{k}, nil
}
