package api

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
)

var routeInputSelect = newRoute("/streams/{name}/inputs/{index}/select",
	map[string]handler{fasthttp.MethodPost: (*API).selectInput})

// matchInputSelect recognises POST {name}/inputs/{index}/select under
// /streams/ and returns the route's {name} part, "name/inputs/index",
// which selectInput splits.
func matchInputSelect(method, rest string) (string, bool) {
	if method != fasthttp.MethodPost {
		return "", false
	}
	s, ok := strings.CutSuffix(rest, "/select")
	if !ok {
		return "", false
	}
	i := strings.LastIndex(s, "/inputs/")
	if i <= 0 {
		return "", false
	}
	return s, true
}

// POST /streams/{name}/inputs/{index}/select (stream_input_select): pin
// the input; it takes over at its next keyframe. 204, 400 for an index
// the stream lacks, 404 for an unknown stream.
func (a *API) selectInput(rc *fasthttp.RequestCtx, r *request) {
	i := strings.LastIndex(r.name, "/inputs/")
	name, raw := r.name[:i], r.name[i+len("/inputs/"):]
	index, err := strconv.Atoi(raw)
	if err != nil || index < 0 {
		writeInputNotFound(rc, raw)
		return
	}
	loc, ok := a.ctl.Locate(name)
	if !ok {
		writeStreamNotFound(rc)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), a.timeout)
	defer cancel()
	switch err := loc.Stream.SelectInput(ctx, index); {
	case errors.Is(err, config.ErrNoInput):
		writeInputNotFound(rc, raw)
	case errors.Is(err, config.ErrNotFound):
		writeStreamNotFound(rc)
	case err != nil:
		writeErr(rc, err)
	default:
		rc.SetStatusCode(fasthttp.StatusNoContent)
	}
}

func writeStreamNotFound(rc *fasthttp.RequestCtx) {
	writeJSON(rc, fasthttp.StatusNotFound, errorResponse{Errors: []apiError{{
		Status: "404", Code: "stream_not_found", Title: "Stream not found",
	}}})
}

func writeInputNotFound(rc *fasthttp.RequestCtx, index string) {
	writeJSON(rc, fasthttp.StatusBadRequest, errorResponse{Errors: []apiError{{
		Status: "400", Code: "input_not_found", Title: "Input not found: " + index,
	}}})
}
