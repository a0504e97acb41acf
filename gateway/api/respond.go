package api

import (
	"encoding/json"

	"github.com/valyala/fasthttp"
)

const contentJSON = "application/json"

// writeJSON writes v as the response body with status.
func writeJSON(rc *fasthttp.RequestCtx, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Our response types always marshal; failing here is a bug.
		panic("api: response does not marshal: " + err.Error())
	}
	writeRawJSON(rc, status, b)
}

// writeRawJSON writes b, already JSON, with status. b is copied.
func writeRawJSON(rc *fasthttp.RequestCtx, status int, b []byte) {
	rc.SetStatusCode(status)
	rc.SetContentType(contentJSON)
	rc.SetBody(b)
}
