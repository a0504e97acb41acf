// Package vod serves files of VOD locations at Flussonic's URLs:
//
//	/LOCATION/PATH/FILE.mp4                      the file, with byte ranges
//	/LOCATION/PATH/FILE.mp4/index.m3u8           HLS master, TS (mono.m3u8, seg-K.ts)
//	/LOCATION/PATH/FILE.mp4/index.fmp4.m3u8      HLS master, fMP4 (track-T.m3u8, init-0.tT.mp4, seg-K.tT.m4s)
//	/LOCATION/PATH/FILE.mp4/index.mpd            DASH (also manifest.mpd, Manifest.mpd)
//	/LOCATION/PATH/FILE.mp4/mpegts               the whole file as one MPEG-TS
//	/LOCATION/PATH/FILE.mp4/text-N.m3u8          subtitle track N as WebVTT segments (text-N-K.vtt;
//	                                             text-N.fmp4.m3u8 beside fMP4), text-N.vtt whole (DASH)
//	/LOCATION/PATH/FILE.mp4/preview.jpg          the first keyframe as a JPEG; S.jpg, S-preview.jpg
//	                                             the keyframe at or before S s; images-WxH/... fitted
//	/LOCATION/PATH/FILE.smil/index.m3u8          a SMIL file's renditions as one ABR presentation
//	                                             (also index.fmp4.m3u8, index.mpd, manifest.mpd)
//	/LOCATION/FOLDER/index.m3u8 ...              a folder's FOLDER*.mp4 renditions (auto_mbr)
//
// Segments are cut from the file's sample tables on request
// (media/vod.Asset.Cut) and kept while hot (media/vod.Cache); nothing is
// written to disk. Where a location's files live is the Locations
// interface's business (the running configuration's vod/file lines).
package vod

import (
	"bytes"
	"container/list"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/sessions"
	"streamhive/gateway/api"
	"streamhive/media/vod"
)

// Locations finds the storage of a VOD location by its name (the first
// element of the URL path). ok false: no such location, the request is
// not a VOD one.
type Locations interface {
	Location(name string) (st vod.Storage, ok bool)
}

// AutoMBR is implemented by Locations that know which locations have
// Flussonic's auto_mbr option: a folder of renditions (files named after
// the folder) then plays as one multi-bitrate presentation at
// /LOCATION/FOLDER/index.m3u8. Locations without it serve no folders.
type AutoMBR interface {
	AutoMBR(location string) bool
}

// Downloads is implemented by Locations that know which locations have
// Flussonic's download option: the file itself (with byte ranges) is
// served only there. Locations without it serve every file.
type Downloads interface {
	Download(location string) bool
}

// SegmentDurations is implemented by Locations whose locations set their
// own segment_duration; zero: Options.SegmentDuration.
type SegmentDurations interface {
	SegmentDuration(location string) time.Duration
}

// Options configure a Handler. Locations is required.
type Options struct {
	Locations Locations
	// Gate admits every request to a viewer session, as the live paths'
	// (nil: everyone, no sessions); TokenKey names the token's query key
	// (auth.DefaultTokenKey when nil or "").
	Gate     sessions.Gate
	TokenKey func() string
	// SegmentDuration is the segments' target; vod.DefaultSegmentDuration
	// when zero.
	SegmentDuration time.Duration
	// CacheBytes bounds the segments kept; vod.DefaultCacheBytes when zero.
	CacheBytes int
	// OpenFiles bounds the files kept open with their tables; 64 when zero.
	OpenFiles int
	Logger    *slog.Logger
}

// Handler serves VOD playback. Safe for concurrent use.
type Handler struct {
	locs     Locations
	gate     sessions.Gate
	tokenKey func() string
	target   time.Duration
	cache    *vod.Cache
	jpegs    jpegs
	log      *slog.Logger

	mu     sync.Mutex
	limit  int
	opened map[string]*list.Element // values *openFile
	order  *list.List
}

type openFile struct {
	key   string
	asset *vod.Asset
}

// New returns a Handler.
func New(o Options) *Handler {
	if o.OpenFiles <= 0 {
		o.OpenFiles = 64
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Handler{
		locs: o.Locations, gate: o.Gate, tokenKey: o.TokenKey, target: o.SegmentDuration, cache: vod.NewCache(o.CacheBytes), log: o.Logger,
		limit: o.OpenFiles, opened: map[string]*list.Element{}, order: list.New(),
	}
}

// Serve answers rc if its path names a file of a VOD location and reports
// whether it did; false leaves the request to the next handler (a stream).
//
// It runs before the live paths for every playback request, so a path
// whose first element names no location costs one lookup and nothing
// else.
func (h *Handler) Serve(rc *fasthttp.RequestCtx) bool {
	p := rc.Path()
	first, _, _ := bytes.Cut(bytes.TrimPrefix(p, []byte("/")), []byte("/"))
	if len(first) == 0 || len(first) == len(p)-1 {
		return false // no second element: no file
	}
	st, ok := h.locs.Location(string(first))
	if !ok {
		return false
	}
	req, ok := parsePath(string(p))
	if !ok {
		return false
	}
	rc.Response.Header.Set(fasthttp.HeaderAccessControlAllowOrigin, "*")
	if !rc.IsGet() && !rc.IsHead() {
		api.WriteError(rc, fasthttp.StatusMethodNotAllowed, "method_not_allowed", "VOD files are read with GET")
		return true
	}
	if req.rest == "" && !h.downloads(req.location) {
		h.deny(rc, "download is off for location "+req.location)
		return true
	}
	if !h.admit(rc, &req) {
		return true
	}
	if req.kind != kindFile {
		h.serveMBR(rc, st, req)
		return true
	}
	a, err := h.asset(rc, st, req)
	if err != nil {
		h.fail(rc, req, err)
		return true
	}
	h.route(rc, a, req)
	return true
}

// asset returns the opened file, opening it (and closing the least
// recently used one past the bound) on a miss.
func (h *Handler) asset(ctx context.Context, st vod.Storage, req request) (*vod.Asset, error) {
	target := h.targetOf(req.location)
	key := fileKey(req, target)
	h.mu.Lock()
	if el, ok := h.opened[key]; ok {
		h.order.MoveToFront(el)
		a := el.Value.(*openFile).asset
		h.mu.Unlock()
		return a, nil
	}
	h.mu.Unlock()
	a, err := vod.OpenAsset(ctx, st, req.path, target)
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if el, ok := h.opened[key]; ok { // opened meanwhile by another request
		_ = a.Close()
		return el.Value.(*openFile).asset, nil
	}
	h.opened[key] = h.order.PushFront(&openFile{key: key, asset: a})
	for h.order.Len() > h.limit {
		old := h.order.Back()
		f := old.Value.(*openFile)
		h.order.Remove(old)
		delete(h.opened, f.key)
		// A request still reading it fails its read and the player retries.
		_ = f.asset.Close()
	}
	return a, nil
}

// targetOf is location's segment duration.
func (h *Handler) targetOf(location string) time.Duration {
	if sd, ok := h.locs.(SegmentDurations); ok {
		if d := sd.SegmentDuration(location); d > 0 {
			return d
		}
	}
	return h.target
}

// fileKey names an opened file and its segments: one cut at another
// segment duration (the location's changed) is another file.
func fileKey(req request, target time.Duration) string {
	return req.location + "/" + req.path + "@" + target.String()
}

// downloads reports whether location serves its files themselves.
func (h *Handler) downloads(location string) bool {
	d, ok := h.locs.(Downloads)
	return !ok || d.Download(location)
}

func (h *Handler) deny(rc *fasthttp.RequestCtx, why string) {
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, "no-cache")
	api.WriteError(rc, fasthttp.StatusForbidden, "forbidden", why)
}

// fail maps an error to its status and the API's error body.
func (h *Handler) fail(rc *fasthttp.RequestCtx, req request, err error) {
	status, code := fasthttp.StatusInternalServerError, "internal"
	switch {
	case errors.Is(err, vod.ErrBadPath):
		status, code = fasthttp.StatusForbidden, "bad_path"
	case errors.Is(err, vod.ErrNotFound), errors.Is(err, vod.ErrNoSegment), errors.Is(err, errNoRoute), errors.Is(err, vod.ErrNoVideo):
		status, code = fasthttp.StatusNotFound, "not_found"
	case errors.Is(err, vod.ErrCorrupt), errors.Is(err, vod.ErrBadSMIL):
		status, code = fasthttp.StatusUnsupportedMediaType, "unsupported_media"
	default:
		h.log.Error("vod: serving failed", "location", req.location, "path", req.path, "error", err)
	}
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, "no-cache")
	api.WriteError(rc, status, code, err.Error())
}

// request is a VOD URL taken apart.
type request struct {
	location string
	path     string // the file (or SMIL file, or folder), relative to the location's storage
	rest     string // what follows FILE.mp4/, "" for the file itself
	kind     kind
	// Set once admitted: the query the URIs of a playlist or manifest
	// carry ("?..." or "") and the viewer's session.
	query string
	grant sessions.Held
}

// kind is what a VOD URL names.
type kind int

const (
	kindFile   kind = iota // an MP4
	kindSMIL               // a SMIL file's renditions
	kindFolder             // a folder's renditions (auto_mbr)
)

// mediaExts are the file names Flussonic serves as VOD (its MP4 family).
var mediaExts = []string{".mp4", ".m4v", ".mov", ".f4v", ".3gp", ".3g2", ".mp4a"}

// parsePath splits /LOCATION/PATH/FILE.mp4[/REST].
func parsePath(p string) (request, bool) {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if len(parts) < 2 || parts[0] == "" {
		return request{}, false
	}
	for i := 1; i < len(parts); i++ {
		k := kindFile
		switch {
		case isMedia(parts[i]):
		case isSMIL(parts[i]) && i+1 < len(parts):
			k = kindSMIL
		default:
			continue
		}
		rest := strings.Join(parts[i+1:], "/")
		return request{location: parts[0], path: strings.Join(parts[1:i+1], "/"), rest: rest, kind: k}, true
	}
	if last := parts[len(parts)-1]; len(parts) >= 3 && mbrManifests[last] {
		return request{location: parts[0], path: strings.Join(parts[1:len(parts)-1], "/"), rest: last, kind: kindFolder}, true
	}
	return request{}, false
}

// mbrManifests are the names a SMIL file or a folder of renditions answers.
var mbrManifests = map[string]bool{
	"index.m3u8": true, "index.fmp4.m3u8": true, "index.mpd": true, "manifest.mpd": true, "Manifest.mpd": true,
}

func isSMIL(name string) bool {
	return len(name) > len(".smil") && strings.HasSuffix(strings.ToLower(name), ".smil")
}

func isMedia(name string) bool {
	lower := strings.ToLower(name)
	for _, ext := range mediaExts {
		if strings.HasSuffix(lower, ext) && len(lower) > len(ext) {
			return true
		}
	}
	return false
}
