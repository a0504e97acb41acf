package vod

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"

	"github.com/valyala/fasthttp"

	"streamhive/media/vod"
)

// serveMBR answers a multi-bitrate presentation's manifests: a SMIL
// file's renditions (FILE.smil/index.m3u8 ...) or a folder's
// (FOLDER/index.m3u8 ..., with auto_mbr). The manifests point at each
// rendition's own playlists and segments, so nothing else is routed here.
func (h *Handler) serveMBR(rc *fasthttp.RequestCtx, st vod.Storage, req request) {
	if !mbrManifests[req.rest] {
		h.fail(rc, req, fmt.Errorf("%w: %q", errNoRoute, req.rest))
		return
	}
	vs, err := h.variants(rc, st, req)
	if err != nil {
		h.fail(rc, req, err)
		return
	}
	query := req.query
	var body []byte
	ctype := typeM3U8
	switch req.rest {
	case "index.m3u8":
		body, err = vod.MBRMaster(vs, false, query)
	case "index.fmp4.m3u8":
		body, err = vod.MBRMaster(vs, true, query)
	default:
		body, err = vod.MBRMPD(vs, query)
		ctype = typeMPD
	}
	if err != nil {
		h.fail(rc, req, err)
		return
	}
	rc.SetContentType(ctype)
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, "no-cache") // the list of renditions may change
	rc.Response.SetBodyRaw(body)
	req.grant.Sent(len(body))
}

// variants opens the presentation's renditions; prefix is each file's
// folder relative to the manifest's URL.
func (h *Handler) variants(ctx context.Context, st vod.Storage, req request) ([]vod.Variant, error) {
	var rs []vod.Rendition
	var err error
	if req.kind == kindSMIL {
		rs, err = readSMIL(ctx, st, req.path)
	} else {
		rs, err = h.folder(ctx, st, req)
	}
	// The manifest sits under PATH/ (FILE.smil/ or FOLDER/): climb from
	// there to the location, then down to each file.
	up := strings.Repeat("../", strings.Count(req.path, "/")+1)
	if err != nil {
		return nil, err
	}
	vs := make([]vod.Variant, 0, len(rs))
	for _, r := range rs {
		a, err := h.asset(ctx, st, request{location: req.location, path: r.Path})
		if err != nil {
			return nil, err
		}
		vs = append(vs, vod.Variant{Prefix: up + r.Path + "/", Asset: a, Rendition: r})
	}
	return vs, nil
}

// readSMIL reads and parses a SMIL file, refusing one over the bound
// before reading it.
func readSMIL(ctx context.Context, st vod.Storage, p string) ([]vod.Rendition, error) {
	f, err := st.Open(ctx, p)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	if f.Size() > vod.MaxSMILBytes {
		return nil, fmt.Errorf("%w: %d bytes", vod.ErrBadSMIL, f.Size())
	}
	b, err := io.ReadAll(io.NewSectionReader(f, 0, f.Size()))
	if err != nil {
		return nil, err
	}
	return vod.ParseSMIL(b, path.Dir(p))
}

// errNoMBR: the location does not serve folders as presentations.
var errNoMBR = errors.New("vod: auto_mbr is off for this location")

// folder lists the renditions of a folder as Flussonic's auto_mbr names
// them: the media files whose names start with the folder's name.
func (h *Handler) folder(ctx context.Context, st vod.Storage, req request) ([]vod.Rendition, error) {
	if m, ok := h.locs.(AutoMBR); !ok || !m.AutoMBR(req.location) {
		return nil, fmt.Errorf("%w: %w", vod.ErrNotFound, errNoMBR)
	}
	entries, err := st.List(ctx, req.path)
	if err != nil {
		return nil, err
	}
	base := path.Base(req.path)
	var rs []vod.Rendition
	for _, e := range entries {
		if e.Dir || !strings.HasPrefix(e.Name, base) || !isMedia(e.Name) {
			continue
		}
		if len(rs) == vod.MaxSMILRenditions {
			break
		}
		rs = append(rs, vod.Rendition{Path: req.path + "/" + e.Name})
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("%w: no %s*.mp4 in %s", vod.ErrNotFound, base, req.path)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].Path < rs[j].Path })
	return rs, nil
}
