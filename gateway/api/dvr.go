package api

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
	"streamhive/media/dvr"
	"streamhive/media/dvr/export"
)

// A stream's archive: GET and DELETE /streams/{name}/dvr/ranges
// (stream_dvr_ranges_list, stream_dvr_ranges_delete) and POST
// /streams/{name}/dvr/export (stream_save_mp4).

var (
	routeDVRRanges = newRoute("/streams/{name}/dvr/ranges", map[string]handler{
		fasthttp.MethodGet: (*API).listDVRRanges, fasthttp.MethodDelete: (*API).deleteDVRRange,
	})
	routeDVRExport = newRoute("/streams/{name}/dvr/export", map[string]handler{
		fasthttp.MethodPost: (*API).exportDVR,
	})
)

// exportTimeout bounds one export: hours of archive are read from disk.
const exportTimeout = 10 * time.Minute

// errNoDVR: the stream exists but records nothing.
var errNoDVR = fmt.Errorf("%w: the stream has no dvr", config.ErrNotFound)

// matchDVR recognises {name}/dvr/ranges and {name}/dvr/export under
// /streams/. A stream whose own name ends so is reachable by GET, PUT
// and DELETE of its name, except that DELETE of NAME/dvr/ranges is the
// range deletion.
func matchDVR(method, rest string) (*route, string, bool) {
	if name, ok := strings.CutSuffix(rest, "/dvr/ranges"); ok && name != "" &&
		(method == fasthttp.MethodGet || method == fasthttp.MethodDelete) {
		return routeDVRRanges, name, true
	}
	if name, ok := strings.CutSuffix(rest, "/dvr/export"); ok && name != "" && method == fasthttp.MethodPost {
		return routeDVRExport, name, true
	}
	return nil, "", false
}

// dvrRange is dvr_range.
type dvrRange struct {
	From     int64 `json:"from"`     // utc seconds
	Duration int64 `json:"duration"` // seconds
}

// archive returns the store of a configured stream, or an error wrapping
// config.ErrNotFound.
func (a *API) archive(r *request) (*dvr.Store, error) {
	if _, ok := r.snap.cfg.Stream(r.name); !ok {
		return nil, fmt.Errorf("%w: stream %q", config.ErrNotFound, r.name)
	}
	st, ok := a.ctl.DVR(r.name)
	if !ok {
		return nil, errNoDVR
	}
	return st, nil
}

// served returns the archive a configured stream serves (for a
// `cluster_ingest` stream, every node's recording), or an error wrapping
// config.ErrNotFound.
func (a *API) served(r *request) (dvr.Archive, error) {
	if _, ok := r.snap.cfg.Stream(r.name); !ok {
		return nil, fmt.Errorf("%w: stream %q", config.ErrNotFound, r.name)
	}
	arc, ok := a.ctl.DVRArchive(r.name)
	if !ok {
		return nil, errNoDVR
	}
	return arc, nil
}

// GET /streams/{name}/dvr/ranges: the recorded stretches, oldest first.
func (a *API) listDVRRanges(rc *fasthttp.RequestCtx, r *request) {
	st, err := a.served(r)
	if err != nil {
		writeErr(rc, err)
		return
	}
	out := struct {
		Ranges []dvrRange `json:"ranges"`
	}{Ranges: []dvrRange{}}
	for _, x := range st.Ranges() {
		out.Ranges = append(out.Ranges, dvrRange{From: x.From.Unix(), Duration: int64(x.Duration.Seconds())})
	}
	writeJSON(rc, fasthttp.StatusOK, out)
}

// DELETE /streams/{name}/dvr/ranges with a dvr_range body (or from and
// duration in the query): the records starting within the range go. 204.
func (a *API) deleteDVRRange(rc *fasthttp.RequestCtx, r *request) {
	st, err := a.archive(r)
	if err != nil {
		writeErr(rc, err)
		return
	}
	from, to, err := rangeOf(rc)
	if err != nil {
		writeErr(rc, err)
		return
	}
	st.Delete(from, to)
	rc.SetStatusCode(fasthttp.StatusNoContent)
}

// rangeOf reads a dvr_range from the body, else from the query.
func rangeOf(rc *fasthttp.RequestCtx) (time.Time, time.Time, error) {
	var x dvrRange
	if body := rc.PostBody(); len(strings.TrimSpace(string(body))) > 0 {
		if err := json.Unmarshal(body, &x); err != nil {
			return time.Time{}, time.Time{}, fmt.Errorf("%w: dvr_range: %w", ErrBadRequest, err)
		}
	} else {
		var err error
		if x.From, x.Duration, err = queryRange(rc); err != nil {
			return time.Time{}, time.Time{}, err
		}
	}
	return span(x.From, x.Duration)
}

// maxRangeSeconds bounds a range's duration: far beyond any archive, and
// far below where seconds overflow a time.Duration (292 years).
const maxRangeSeconds = 100 * 365 * 24 * 3600

// span turns from and duration (seconds) into the range's ends.
func span(from, duration int64) (time.Time, time.Time, error) {
	if from <= 0 || duration <= 0 || duration > maxRangeSeconds {
		return time.Time{}, time.Time{}, fmt.Errorf("%w: from and duration must be positive, duration at most %d s", ErrBadRequest, maxRangeSeconds)
	}
	start := time.Unix(from, 0)
	return start, start.Add(time.Duration(duration) * time.Second), nil
}

// queryRange reads from and duration (seconds) from the query.
func queryRange(rc *fasthttp.RequestCtx) (int64, int64, error) {
	q := rc.QueryArgs()
	from, err1 := strconv.ParseInt(string(q.Peek("from")), 10, 64)
	dur, err2 := strconv.ParseInt(string(q.Peek("duration")), 10, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("%w: want from and duration in seconds", ErrBadRequest)
	}
	return from, dur, nil
}

// POST /streams/{name}/dvr/export?from=&duration=&path=: writes the range
// as one MP4 to path on the server (written under a temporary name and
// renamed, so path never holds half a file) and answers 200 with an
// empty body; without path the MP4 is the response body. 404 when the
// range holds no recording, 409 when its codec parameters change.
func (a *API) exportDVR(rc *fasthttp.RequestCtx, r *request) {
	st, err := a.served(r)
	if err != nil {
		writeErr(rc, err)
		return
	}
	f, d, err := queryRange(rc)
	var from, to time.Time
	if err == nil {
		from, to, err = span(f, d)
	}
	if err != nil {
		writeErr(rc, err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
	defer cancel()
	path := string(rc.QueryArgs().Peek("path"))
	if path != "" {
		if err := exportFile(ctx, st, from, to, path); err != nil {
			writeExportErr(rc, err)
			return
		}
		rc.SetStatusCode(fasthttp.StatusOK)
		return
	}
	plan, err := export.Prepare(ctx, st, from, to)
	if err != nil {
		writeExportErr(rc, err)
		return
	}
	rc.SetStatusCode(fasthttp.StatusOK)
	rc.SetContentType("video/mp4")
	rc.Response.Header.SetContentLength(int(plan.Size()))
	rc.SetBodyStreamWriter(func(w *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
		defer cancel()
		if err := plan.Write(ctx, w); err == nil {
			_ = w.Flush()
		} // else the body is short of its Content-Length: the client sees the failure
	})
}

// exportFile writes the MP4 to path through a synced temporary file.
func exportFile(ctx context.Context, a dvr.Archive, from, to time.Time, path string) error {
	if !filepath.IsAbs(path) {
		return fmt.Errorf("%w: path must be absolute", ErrBadRequest)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".export-*.mp4")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = export.WriteMP4(ctx, a, from, to, f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

func writeExportErr(rc *fasthttp.RequestCtx, err error) {
	switch {
	case errors.Is(err, export.ErrNoRecording), errors.Is(err, dvr.ErrGone):
		WriteError(rc, fasthttp.StatusNotFound, "not_found", err.Error())
	case errors.Is(err, export.ErrCodecChange):
		WriteError(rc, fasthttp.StatusConflict, "codec_change", err.Error())
	default:
		writeErr(rc, err)
	}
}
