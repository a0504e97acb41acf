package play

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media/dash"
	"streamhive/media/drm"
	"streamhive/media/hls"
	"streamhive/media/segment"
)

// The key endpoints of a protected stream, under the same session rule as
// its media (sessions.Gate): /NAME/drm/key?kid=HEX answers the 16 bytes of
// an AES-128 key (the EXT-X-KEY URI), /NAME/drm/clearkey the W3C ClearKey
// license (POST) for the keys of the stream's window.

const (
	drmKeyFile      = "key"
	drmClearKeyFile = "clearkey"
	typeOctets      = "application/octet-stream"
)

// parseDRMPath splits /NAME/drm/FILE; false for any other path.
func parseDRMPath(path string) (name, file string, ok bool) {
	i := strings.LastIndexByte(path, '/')
	if i <= 0 {
		return "", "", false
	}
	name, ok = strings.CutSuffix(path[1:i], "/drm")
	file = path[i+1:]
	return name, file, ok && name != "" && (file == drmKeyFile || file == drmClearKeyFile)
}

// isDRMPath is parseDRMPath's test without allocating.
func isDRMPath(path []byte) bool {
	return bytes.HasSuffix(path, []byte("/drm/"+drmKeyFile)) || bytes.HasSuffix(path, []byte("/drm/"+drmClearKeyFile))
}

// serveDRM answers the key endpoints; false when the path is none of them.
func (h *Handler) serveDRM(rc *fasthttp.RequestCtx) bool {
	if !isDRMPath(rc.Path()) { // before the string: every request passes here
		return false
	}
	name, file, ok := parseDRMPath(string(rc.Path()))
	if !ok {
		return false
	}
	if rc.IsOptions() {
		preflight(rc)
		return true
	}
	p, protected := h.protection(name)
	loc, found := h.streams.Locate(name)
	if !protected || !found {
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, "no protected stream "+strconv.Quote(name))
		return true
	}
	r := route{name: name, kind: kindMedia, format: hls.TS}
	if file == drmClearKeyFile {
		r.kind = kindMPD
	}
	if _, ok := h.admit(rc, r); !ok {
		return true
	}
	past, err := archiveKeys(rc, p.Keys) // protect_archive.go
	if errors.Is(err, errBadAt) {
		writeError(rc, fasthttp.StatusBadRequest, codeBadReload, err.Error())
		return true
	}
	keys, werr := windowKeys(p.Keys, loc.Stream.Window())
	if err = errors.Join(err, werr); err != nil {
		h.keyFailed(rc, name, err)
		return true
	}
	keys = append(keys, past...)
	if file == drmKeyFile {
		serveKey(rc, keys)
		return true
	}
	serveLicense(rc, keys)
	return true
}

func serveKey(rc *fasthttp.RequestCtx, keys []drm.Key) {
	if !rc.IsGet() && !rc.IsHead() {
		writeError(rc, fasthttp.StatusMethodNotAllowed, codeMethod, "")
		return
	}
	kid, err := hex.DecodeString(string(rc.QueryArgs().Peek("kid")))
	if err != nil || len(kid) != 16 {
		writeError(rc, fasthttp.StatusBadRequest, codeBadReload, "kid must be 32 hex digits")
		return
	}
	for _, k := range keys {
		if string(k.KID[:]) == string(kid) {
			writeBody(rc, typeOctets, cacheNone, k.Key[:])
			return
		}
	}
	writeError(rc, fasthttp.StatusNotFound, codeNotFound, "no such key")
}

func serveLicense(rc *fasthttp.RequestCtx, keys []drm.Key) {
	if !rc.IsPost() {
		writeError(rc, fasthttp.StatusMethodNotAllowed, codeMethod, "")
		return
	}
	if rc.Request.Header.ContentLength() > drm.MaxLicenseRequest {
		writeError(rc, fasthttp.StatusRequestEntityTooLarge, codeBadReload, "license request too large")
		return
	}
	out, err := drm.ClearKeyLicense(rc.PostBody(), keys)
	if errors.Is(err, drm.ErrBadLicenseRequest) || err != nil {
		writeError(rc, fasthttp.StatusBadRequest, codeBadReload, "bad clearkey license request")
		return
	}
	writeBody(rc, typeJSON, cacheNone, out)
}

// windowKeys are the keys of the window's segments and of now: every key
// a player of the live window may ask for.
func windowKeys(src drm.KeySource, w *segment.Window) ([]drm.Key, error) {
	times := []time.Time{time.Now()}
	if w != nil {
		for _, s := range w.Segments {
			times = append(times, s.ProgramDateTime)
		}
		if w.Partial != nil {
			times = append(times, w.Partial.ProgramDateTime)
		}
	}
	var keys []drm.Key
	for _, t := range times {
		k, err := src.KeyAt(t)
		if err != nil {
			return nil, err
		}
		if len(keys) == 0 || keys[len(keys)-1].KID != k.KID {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// protectPlaylist adds the key tags to a media playlist of a protected
// stream; masters and clear streams pass unchanged.
func (h *Handler) protectPlaylist(r route, pl []byte, err error) ([]byte, error) {
	p, ok := h.protection(r.name)
	if err != nil || !ok || r.kind != kindMedia {
		return pl, err
	}
	if r.format == hls.TS {
		return protectTSPlaylist(pl, p.TS, p.Keys, false) // protect_archive.go
	}
	return drm.ProtectMediaPlaylist(pl, drm.PlaylistKeys{
		KeyAt:   p.Keys.KeyAt,
		Tags:    func(k drm.Key) []string { return drm.HLSKeyTags(k, p.HLS, drmDir+drmClearKeyFile) },
		MapLine: initAtKey,
	})
}

// licenseBase is the scheme and host the MPD's ClearKey license URL starts
// with: EME posts to it as given, from the page's origin, so a path
// alone would go to the page's server, not to us.
func licenseBase(rc *fasthttp.RequestCtx) string {
	scheme := "http://"
	if rc.IsTLS() {
		scheme = "https://"
	}
	return scheme + string(rc.Host())
}

// drmDir is the key endpoints' directory relative to a playlist.
const drmDir = "drm/"

// initAtKey names the key's start in an EXT-X-MAP URI (the init carries
// the key id). A key of all time needs no name.
func initAtKey(line []byte, k drm.Key) []byte {
	if k.From.IsZero() {
		return line
	}
	end := strings.LastIndexByte(string(line), '"')
	if end < 0 {
		return line
	}
	sep := "?"
	if strings.Contains(string(line[:end]), "?") {
		sep = "&"
	}
	out := append([]byte(nil), line[:end]...)
	out = append(out, sep+drmAtKey+"="+strconv.FormatInt(k.From.UnixMilli(), 10)...)
	return append(out, line[end:]...)
}

// protectDASH sets up a protected stream's MPD: one Period per content key
// in the window (drm.DASHRotation), each with its ContentProtection, the
// ClearKey license URL (absolute: base, then the path and the session's
// query) and its init URIs naming the key by drm_at. A clear stream's
// options stay as they are.
func (h *Handler) protectDASH(name string, o *dash.Options, base, query string) {
	p, ok := h.protection(name)
	if !ok {
		return
	}
	la := base + "/" + name + "/" + drmDir + drmClearKeyFile
	if query != "" {
		la += "?" + query
	}
	rot := drm.DASHRotation{
		Keys: p.Keys, Scheme: p.DASH, LicenseURL: la,
		InitQuery: func(k drm.Key) string {
			if k.From.IsZero() {
				return ""
			}
			return drmAtKey + "=" + strconv.FormatInt(k.From.UnixMilli(), 10)
		},
		Starts: h.sealed.periodStarts(name),
	}
	o.Periods, o.AssetID, o.Namespaces = rot.Periods, name, drm.DASHNamespaces
}
