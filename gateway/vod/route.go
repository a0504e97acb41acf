package vod

import (
	"bufio"
	"errors"
	"fmt"
	"io"

	"github.com/valyala/fasthttp"

	"streamhive/actors/sessions"
	"streamhive/media"
	"streamhive/media/hls"
	"streamhive/media/vod"
)

// errNoRoute: nothing is served under that name of a file.
var errNoRoute = errors.New("vod: no such URL of a file")

// Content types and caching: everything of a file is immutable while the
// file is, so shared caches may keep it for a while.
const (
	typeM3U8     = "application/vnd.apple.mpegurl"
	typeMPD      = "application/dash+xml"
	typeTS       = "video/mp2t"
	typeSegment  = "video/iso.segment"
	cacheForever = "public, max-age=300"
)

func (h *Handler) route(rc *fasthttp.RequestCtx, a *vod.Asset, req request) {
	query := req.query // a token goes on to every URI (Flussonic's rule)
	var body []byte
	var err error
	ctype := typeM3U8
	switch req.rest {
	case "":
		h.serveRange(rc, a, req.grant)
		return
	case "index.m3u8":
		body, err = a.Master(false, query)
	case "index.fmp4.m3u8":
		body, err = a.Master(true, query)
	case "mono.m3u8":
		body, err = a.Media(-1, query)
	case "index.mpd", "manifest.mpd", "Manifest.mpd":
		body, err = a.MPD(query)
		ctype = typeMPD
	case "mpegts":
		h.serveMPEGTS(rc, req, a)
		return
	default:
		if r, ok := parseJPEG(req.rest); ok {
			h.serveJPEG(rc, req, a, r)
			return
		}
		body, ctype, err = h.named(req, a, query)
	}
	if err != nil {
		h.fail(rc, req, err)
		return
	}
	rc.SetContentType(ctype)
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, cacheForever)
	rc.Response.SetBodyRaw(body)
	req.grant.Sent(len(body))
}

// named serves the names playlists write: track playlists, inits,
// segments, subtitles.
func (h *Handler) named(req request, a *vod.Asset, query string) ([]byte, string, error) {
	if body, ctype, ok, err := a.Text(req.rest, query); ok {
		return body, ctype, err
	}
	var track int
	if _, err := fmt.Sscanf(req.rest, "track-%d.m3u8", &track); err == nil && req.rest == fmt.Sprintf("track-%d.m3u8", track) {
		if track < 0 {
			return nil, "", errNoRoute
		}
		b, err := a.Media(track, query)
		return b, typeM3U8, err
	}
	ref, err := hls.ParseName(req.rest)
	if err != nil || ref.Part >= 0 {
		return nil, "", fmt.Errorf("%w: %q", errNoRoute, req.rest)
	}
	if ref.Init {
		if ref.Epoch != 0 || ref.Track >= len(a.Tracks()) {
			return nil, "", fmt.Errorf("%w: %q", errNoRoute, req.rest)
		}
		return a.Init().CMAF[ref.Track], initType(a.Tracks()[ref.Track]), nil
	}
	if ref.MSN >= uint64(a.Segments()) {
		return nil, "", fmt.Errorf("%w: %d", vod.ErrNoSegment, ref.MSN)
	}
	seg, err := h.cache.Segment(fileKey(req, h.targetOf(req.location)), a, int(ref.MSN))
	if err != nil {
		return nil, "", err
	}
	if ref.Format == hls.TS {
		return seg.MPEGTS(), typeTS, nil
	}
	if ref.Track >= len(seg.CMAF) {
		return nil, "", fmt.Errorf("%w: track %d", errNoRoute, ref.Track)
	}
	return seg.CMAF[ref.Track], typeSegment, nil
}

func initType(t media.Track) string {
	if t.Codec.Kind() == media.KindVideo {
		return "video/mp4"
	}
	return "audio/mp4"
}

// serveMPEGTS sends every segment's TS in order, cut (or taken from the
// cache) as the client reads.
func (h *Handler) serveMPEGTS(rc *fasthttp.RequestCtx, req request, a *vod.Asset) {
	rc.SetContentType(typeTS)
	key := fileKey(req, h.targetOf(req.location))
	rc.SetBodyStreamWriter(func(w *bufio.Writer) {
		defer req.grant.Close()
		for k := range a.Segments() {
			select {
			case <-req.grant.Ended(): // kicked or banned
				return
			default:
			}
			seg, err := h.cache.Segment(key, a, k)
			if err != nil {
				h.log.Warn("vod: mpegts ended early", "location", req.location, "path", req.path, "segment", k, "error", err)
				return
			}
			ts := seg.MPEGTS()
			if _, err := w.Write(ts); err != nil {
				return
			}
			req.grant.Sent(len(ts))
			if err := w.Flush(); err != nil {
				return
			}
		}
	})
}

// serveRange answers the file itself: whole (200) or one byte range
// (206, RFC 9110 §14); a range outside the file is 416.
func (h *Handler) serveRange(rc *fasthttp.RequestCtx, a *vod.Asset, g sessions.Held) {
	size := a.Size()
	rc.SetContentType("video/mp4")
	rc.Response.Header.Set(fasthttp.HeaderAcceptRanges, "bytes")
	from, to := int64(0), size-1
	if spec := rc.Request.Header.Peek(fasthttp.HeaderRange); len(spec) > 0 {
		start, end, err := fasthttp.ParseByteRange(spec, int(size))
		if err != nil {
			rc.Response.Header.Set(fasthttp.HeaderContentRange, fmt.Sprintf("bytes */%d", size))
			rc.SetStatusCode(fasthttp.StatusRequestedRangeNotSatisfiable)
			return
		}
		from, to = int64(start), int64(end)
		rc.Response.Header.SetContentRange(start, end, int(size))
		rc.SetStatusCode(fasthttp.StatusPartialContent)
	}
	rc.SetBodyStream(io.NewSectionReader(a.File(), from, to-from+1), int(to-from+1))
	g.Sent(int(to - from + 1))
}
