package play

import (
	"github.com/valyala/fasthttp"

	"streamhive/gateway/live"
	"streamhive/gateway/web"
)

const typeHTML = "text/html; charset=utf-8"

// serveEmbed answers /NAME/embed.html: the player page of gateway/web
// for the page's query options. The page holds no media, so it is no
// viewer session (a one-time token stays unused until the player's first
// request); the playlist, manifest, WHEP or MSE-LD request it makes
// carries the page's query and is admitted like any other. Its player
// is one the stream's `protocols` directive allows, or 403. A protected
// stream's page plays MPEG-TS HLS (AES-128), not LL-HLS (web.Options).
func serveEmbed(rc *fasthttp.RequestCtx, st live.Stream, name string, protected bool) {
	o, err := web.Parse(string(rc.URI().QueryString()))
	if err != nil {
		writeError(rc, fasthttp.StatusBadRequest, codeBadReload, "bad embed.html query")
		return
	}
	o.Protected = protected
	p, err := web.Choose(o, st.Enabled)
	if err != nil { // web.ErrDisabled
		writeError(rc, fasthttp.StatusForbidden, codeDisabled, "no player protocol is enabled for this stream")
		return
	}
	writeBody(rc, typeHTML, cacheNone, web.Page(name, p, o))
}
