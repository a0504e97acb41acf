package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
	"streamhive/actors/vods"
	"streamhive/media/vod"
)

// The /vods endpoints: VOD locations as configuration (list, GET, PUT,
// DELETE through the config owner like templates), and the files of a
// location's storage (list, GET, upload, delete), and the files viewers
// have open. Every subpath goes through the storage, which refuses one
// that leaves it (vod.ErrBadPath: 400).

func (a *API) listVODs(rc *fasthttp.RequestCtx, r *request) { a.list(rc, r.snap.vods) }

func (a *API) getVOD(rc *fasthttp.RequestCtx, r *request) { a.get(rc, r.snap.vods, r.name) }

func (a *API) putVOD(rc *fasthttp.RequestCtx, r *request) {
	a.put(rc, r, func(s *snapshot) *collection { return s.vods }, func(patch []byte) config.Change {
		return config.PutVOD{Prefix: r.name, Patch: patch}
	})
}

func (a *API) deleteVOD(rc *fasthttp.RequestCtx, r *request) {
	a.del(rc, config.DeleteVOD{Prefix: r.name})
}

// diskFile is disk_file.
type diskFile struct {
	Name        string `json:"name"`
	Prefix      string `json:"prefix"`
	URL         string `json:"url,omitempty"`
	Folder      string `json:"folder"`
	Subpath     string `json:"subpath"`
	Bytes       int64  `json:"bytes"`
	IsDirectory bool   `json:"is_directory"`
	Opened      bool   `json:"opened"`
}

// diskFilesList is disk_files_list.
type diskFilesList struct {
	Files []diskFile `json:"files"`
}

// fileRoute is a parsed /vods/{prefix}/storages/{i}/files[/{subpath}].
type fileRoute struct {
	loc     *vods.Location
	index   int
	storage vod.Storage
	subpath string
}

// parseFileRoute reads name, the part after /vods/.
func (a *API) parseFileRoute(name string) (fileRoute, error) {
	prefix, rest, _ := strings.Cut(name, "/")
	idx, rest, _ := strings.Cut(strings.TrimPrefix(rest, "storages/"), "/")
	sub, _ := strings.CutPrefix(strings.TrimPrefix(rest, "files"), "/")
	l, ok := a.ctl.VODs().Location(prefix)
	if !ok {
		return fileRoute{}, fmt.Errorf("vod %q: %w", prefix, config.ErrNotFound)
	}
	i, err := strconv.Atoi(idx)
	st, ok := l.Storage(i)
	if err != nil || !ok {
		return fileRoute{}, fmt.Errorf("vod %q has no storage %q: %w", prefix, idx, config.ErrNotFound)
	}
	return fileRoute{loc: l, index: i, storage: st, subpath: sub}, nil
}

func (a *API) listVODFiles(rc *fasthttp.RequestCtx, r *request) {
	fr, err := a.parseFileRoute(r.name)
	if err != nil {
		writeErr(rc, err)
		return
	}
	folder := string(rc.QueryArgs().Peek("folder"))
	entries, err := fr.storage.List(rc, folder)
	if err != nil {
		writeErr(rc, err)
		return
	}
	out := diskFilesList{Files: make([]diskFile, 0, len(entries))}
	for _, e := range entries {
		out.Files = append(out.Files, a.diskFile(fr, path.Join(folder, e.Name), e))
	}
	writeJSON(rc, fasthttp.StatusOK, out)
}

// diskFile describes one entry at sub of fr's storage.
func (a *API) diskFile(fr fileRoute, sub string, e vod.Entry) diskFile {
	prefix := fr.loc.Config.Prefix
	dir := path.Dir(sub)
	if dir == "." {
		dir = ""
	}
	return diskFile{
		Name: prefix + "/" + sub, Prefix: prefix, Folder: dir, Subpath: sub,
		URL:   config.RedactURL(strings.TrimSuffix(fr.loc.Config.Storages[fr.index].URL, "/") + "/" + sub),
		Bytes: e.Size, IsDirectory: e.Dir, Opened: a.ctl.VODs().IsOpen(prefix, sub),
	}
}

func (a *API) getVODFile(rc *fasthttp.RequestCtx, r *request) {
	fr, err := a.parseFileRoute(r.name)
	if err != nil {
		writeErr(rc, err)
		return
	}
	f, err := fr.storage.Open(rc, fr.subpath)
	if err != nil {
		writeErr(rc, err)
		return
	}
	size := f.Size()
	_ = f.Close()
	writeJSON(rc, fasthttp.StatusOK, a.diskFile(fr, fr.subpath, vod.Entry{Name: path.Base(fr.subpath), Size: size}))
}

func (a *API) putVODFile(rc *fasthttp.RequestCtx, r *request) {
	fr, err := a.parseFileRoute(r.name)
	if err != nil {
		writeErr(rc, err)
		return
	}
	w, ok := fr.writable(rc, "takes no uploads")
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(rc, a.timeout)
	defer cancel()
	if err := w.Create(ctx, fr.subpath, bytes.NewReader(rc.PostBody())); err != nil {
		writeErr(rc, err)
		return
	}
	size := int64(len(rc.PostBody()))
	writeJSON(rc, fasthttp.StatusOK, a.diskFile(fr, fr.subpath, vod.Entry{Name: path.Base(fr.subpath), Size: size}))
}

func (a *API) deleteVODFile(rc *fasthttp.RequestCtx, r *request) {
	fr, err := a.parseFileRoute(r.name)
	if err != nil {
		writeErr(rc, err)
		return
	}
	w, ok := fr.writable(rc, "deletes nothing")
	if !ok {
		return
	}
	if err := w.Remove(rc, fr.subpath); err != nil {
		writeErr(rc, err)
		return
	}
	rc.SetStatusCode(fasthttp.StatusNoContent)
}

// writable is the route's storage as one that takes writes; a storage that
// does not (an HTTP origin) has answered 400 saying what it cannot do.
func (fr fileRoute) writable(rc *fasthttp.RequestCtx, cannot string) (vod.Writable, bool) {
	w, ok := fr.storage.(vod.Writable)
	if !ok {
		writeErr(rc, fmt.Errorf("%w: storage %d of vod %q %s", ErrBadRequest, fr.index, fr.loc.Config.Prefix, cannot))
	}
	return w, ok
}

// listOpenedVODFiles answers the files viewers have open, filtered by the
// prefix and storage_index query parameters.
func (a *API) listOpenedVODFiles(rc *fasthttp.RequestCtx, _ *request) {
	q := rc.QueryArgs()
	prefix := string(q.Peek("prefix"))
	index, err := strconv.Atoi(string(q.Peek("storage_index")))
	if err != nil && q.Has("storage_index") {
		writeErr(rc, fmt.Errorf("%w: storage_index %q", ErrBadRequest, q.Peek("storage_index")))
		return
	}
	out := diskFilesList{Files: []diskFile{}}
	for _, o := range a.ctl.VODs().Opened() {
		if (prefix != "" && o.Prefix != prefix) || (q.Has("storage_index") && o.Storage != index) {
			continue
		}
		dir := path.Dir(o.Path)
		if dir == "." {
			dir = ""
		}
		out.Files = append(out.Files, diskFile{
			Name: o.Prefix + "/" + o.Path, Prefix: o.Prefix, Folder: dir, Subpath: o.Path, Opened: true,
		})
	}
	writeJSON(rc, fasthttp.StatusOK, out)
}

// vodStatus maps the storages' errors; false for others.
func vodStatus(err error) (int, string, bool) {
	switch {
	case errors.Is(err, vod.ErrBadPath):
		return fasthttp.StatusBadRequest, "bad_path", true
	case errors.Is(err, vod.ErrNotFound):
		return fasthttp.StatusNotFound, "not_found", true
	}
	return 0, "", false
}
