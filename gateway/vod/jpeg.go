package vod

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media/preview"
	"streamhive/media/transcode"
	"streamhive/media/vod"
)

// Pictures of a file, as the archive's (gateway/play) are named:
//
//	preview.jpg                 the first keyframe
//	S.jpg, S-preview.jpg        the keyframe at or before S seconds into the file
//	images-WxH/S.jpg ...        the same fitted into W x H
const (
	typeJPEG = "image/jpeg"
	// maxBoxW and maxBoxH bound a thumbnail's box: a 4K frame.
	maxBoxW, maxBoxH = 3840, 2160
	// maxAt bounds S: past it nothing is a time of a file.
	maxAt = 1e7
	// keepJPEGs bounds the pictures kept: a JPEG is made once per
	// keyframe and box while it stays among them.
	keepJPEGs = 256
)

// jpegRoute is a picture URL taken apart.
type jpegRoute struct {
	at  time.Duration
	box preview.Box
}

// parseJPEG reads a picture URL (the part after FILE.mp4/).
func parseJPEG(rest string) (jpegRoute, bool) {
	var r jpegRoute
	if dir, name, ok := strings.Cut(rest, "/"); ok {
		var w, h int
		if !strings.HasPrefix(dir, "images-") || !parseBox(dir[len("images-"):], &w, &h) {
			return r, false
		}
		r.box, rest = preview.Box{W: w, H: h}, name
	}
	if rest == "preview.jpg" {
		return r, true
	}
	s, ok := strings.CutSuffix(rest, ".jpg")
	if !ok {
		return r, false
	}
	s = strings.TrimSuffix(s, "-preview")
	sec, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(sec) || sec < 0 || sec > maxAt {
		return r, false
	}
	r.at = time.Duration(sec * float64(time.Second))
	return r, true
}

func parseBox(s string, w, h *int) bool {
	ws, hs, ok := strings.Cut(s, "x")
	if !ok {
		return false
	}
	var err1, err2 error
	*w, err1 = strconv.Atoi(ws)
	*h, err2 = strconv.Atoi(hs)
	return err1 == nil && err2 == nil && *w > 0 && *h > 0 && *w <= maxBoxW && *h <= maxBoxH
}

// jpegKey names one picture: a file's keyframe in a box.
type jpegKey struct {
	file   string
	sample int
	box    preview.Box
}

// jpegs keeps the pictures made; full, it starts over (a thumbnail strip
// of one file asks for a few dozen).
type jpegs struct {
	mu   sync.Mutex
	byID map[jpegKey][]byte
}

func (j *jpegs) get(k jpegKey) []byte {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.byID[k]
}

func (j *jpegs) put(k jpegKey, b []byte) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.byID == nil || len(j.byID) >= keepJPEGs {
		j.byID = map[jpegKey][]byte{}
	}
	j.byID[k] = b
}

// serveJPEG answers a picture of a file: its keyframe at or before the
// time, decoded and encoded as a JPEG (media/transcode, as the live
// preview and the archive's), fitted into the box.
func (h *Handler) serveJPEG(rc *fasthttp.RequestCtx, req request, a *vod.Asset, r jpegRoute) {
	track, f, sample, err := a.Keyframe(r.at)
	if err != nil {
		h.fail(rc, req, err)
		return
	}
	key := jpegKey{req.location + "/" + req.path, sample, r.box}
	b := h.jpegs.get(key)
	if b == nil {
		b, err = transcode.KeyframeJPEG(track, f)
		if err == nil {
			b, err = preview.Fit(b, r.box)
		}
		if err != nil {
			h.fail(rc, req, err)
			return
		}
		h.jpegs.put(key, b)
	}
	rc.SetContentType(typeJPEG)
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, cacheForever)
	rc.Response.SetBodyRaw(b)
	req.grant.Sent(len(b))
}
