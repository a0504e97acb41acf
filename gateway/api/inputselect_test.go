package api

import (
	"testing"

	"github.com/valyala/fasthttp"
)

func TestSelectInput(t *testing.T) {
	h := newHarness(t, testConfig(t, bunnyConf))
	for _, tt := range []struct {
		path   string
		status int
		code   string
	}{
		{"streams/live/bunny/inputs/0/select", fasthttp.StatusNoContent, ""},
		{"streams/live/bunny/inputs/9/select", fasthttp.StatusBadRequest, "input_not_found"},
		{"streams/live/bunny/inputs/x/select", fasthttp.StatusBadRequest, "input_not_found"},
		{"streams/nope/inputs/0/select", fasthttp.StatusNotFound, "stream_not_found"},
	} {
		r := h.do(fasthttp.MethodPost, tt.path, "")
		if tt.code == "" {
			mustStatus(t, r, tt.status)
			continue
		}
		mustError(t, r, tt.status, tt.code)
	}
}
