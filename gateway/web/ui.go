package web

import (
	"bytes"
	_ "embed"
	"html/template"
	"sync"

	"github.com/valyala/fasthttp"
)

// The operator's web UI: one page at "/" whose script (assets/ui.js)
// reads and writes the Control API from the browser, with the
// credentials the operator types (never in a URL), and plays through the
// stream's own playback URLs. Everything it loads comes from this
// server: the page's Content-Security-Policy allows no other origin.

//go:embed ui.html
var uiText string

// uiPolicy: scripts, styles and requests from this server only; hls.js
// plays from blob: URLs (MediaSource) and runs its worker from one.
const uiPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data: blob:; media-src 'self' blob:; worker-src 'self' blob:; " +
	"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'"

// uiPage is the rendered page: its asset URLs are fixed for the binary.
var uiPage = sync.OnceValue(func() []byte {
	tmpl := template.Must(template.New("ui.html").Parse(uiText))
	var b bytes.Buffer
	err := tmpl.Execute(&b, struct{ CSS, HLS, Script string }{
		assetURL("ui.css"), assetURL("hls.min.js"), assetURL("ui.js"),
	})
	if err != nil { // the template and its data are ours: a bug
		panic("web: ui page template: " + err.Error())
	}
	return b.Bytes()
})

// ServeUI answers a GET or HEAD of "/": the UI's page. It holds no data
// (the script asks the API for it), so it is the same for every viewer;
// no-cache makes an upgrade's new asset URLs take effect at once.
func ServeUI(rc *fasthttp.RequestCtx) {
	h := &rc.Response.Header
	h.Set(fasthttp.HeaderCacheControl, "no-cache")
	h.Set("Content-Security-Policy", uiPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	rc.SetContentType("text/html; charset=utf-8")
	rc.Response.SetBodyRaw(uiPage()) // rendered once: never modified
}
