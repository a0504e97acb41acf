package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
	"streamhive/gateway/live"
)

// Errors the API returns of its own.
var (
	// ErrBadRequest is a malformed request: a bad query parameter, a body
	// that is not JSON. It maps to 400.
	ErrBadRequest = errors.New("api: bad request")
	// ErrRouteNotFound is a path the API does not serve (404).
	ErrRouteNotFound = errors.New("api: no such endpoint")
)

// apiError is one item of error_response's errors.
type apiError struct {
	Status string            `json:"status"`
	Code   string            `json:"code"`
	Title  string            `json:"title,omitempty"`
	Source *errorSource      `json:"source,omitempty"`
	Meta   map[string]string `json:"meta,omitempty"`
}

type errorSource struct {
	Pointer string `json:"pointer,omitempty"`
}

// errorResponse is error_response. Line and Col repeat the position of the
// first config error, as config_error_status has them for PUT /config.
type errorResponse struct {
	Errors []apiError `json:"errors"`
	Line   int        `json:"line,omitempty"`
	Col    int        `json:"col,omitempty"`
}

// statusOf maps an error to its HTTP status and error code. It is the one
// place that decides this.
func statusOf(err error) (int, string) {
	if status, code, ok := vodStatus(err); ok {
		return status, code
	}
	switch {
	case errors.Is(err, ErrBadRequest):
		return fasthttp.StatusBadRequest, "bad_request"
	case errors.Is(err, config.ErrInvalid):
		return fasthttp.StatusBadRequest, "invalid_config"
	case errors.Is(err, config.ErrNotFound), errors.Is(err, ErrRouteNotFound):
		return fasthttp.StatusNotFound, "not_found"
	case errors.Is(err, live.ErrUnreachable):
		return fasthttp.StatusBadGateway, "bad_gateway"
	case errors.Is(err, context.DeadlineExceeded):
		return fasthttp.StatusGatewayTimeout, "timeout"
	case errors.Is(err, context.Canceled):
		return fasthttp.StatusServiceUnavailable, "unavailable"
	default:
		return fasthttp.StatusInternalServerError, "internal"
	}
}

// writeErr writes err as error_response with the status statusOf picks.
// A config error list becomes one item per problem, each with its JSON
// pointer or its file position.
func writeErr(rc *fasthttp.RequestCtx, err error) {
	status, code := statusOf(err)
	resp := errorResponse{}
	var list config.ErrorList
	var one *config.Error
	switch {
	case status == fasthttp.StatusBadRequest && errors.As(err, &list):
		for _, e := range list {
			resp.Errors = append(resp.Errors, configError(code, e))
		}
	case status == fasthttp.StatusBadRequest && errors.As(err, &one):
		resp.Errors = append(resp.Errors, configError(code, one))
	default:
		resp.Errors = []apiError{{Status: strconv.Itoa(status), Code: code, Title: err.Error()}}
	}
	if list != nil {
		one = list[0]
	}
	if one != nil {
		resp.Line, resp.Col = one.Line, one.Col
	}
	writeJSON(rc, status, resp)
}

func configError(code string, e *config.Error) apiError {
	ae := apiError{Status: "400", Code: code, Title: e.Error()}
	if e.Pointer != "" {
		ae.Source = &errorSource{Pointer: e.Pointer}
	}
	if e.Line > 0 {
		ae.Meta = map[string]string{"file": e.File, "line": strconv.Itoa(e.Line), "col": strconv.Itoa(e.Col)}
	}
	return ae
}

// WriteError writes an error_response with one error. The gateway uses it
// for what it answers itself (404 outside the API, 500 after a panic) so
// that every error of the server has the same shape.
func WriteError(rc *fasthttp.RequestCtx, status int, code, title string) {
	if title == "" {
		title = http.StatusText(status)
	}
	writeJSON(rc, status, errorResponse{Errors: []apiError{{Status: strconv.Itoa(status), Code: code, Title: title}}})
}
