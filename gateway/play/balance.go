package play

import (
	"github.com/valyala/fasthttp"
)

// Balancer may send a viewer to another node of the cluster
// (gateway/remote.Balancer says when). Redirect returns the base URL of
// the node that should serve stream name ("http://b.example:8081"), or
// false to serve it here. It must not block.
type Balancer interface {
	Redirect(name string) (base string, ok bool)
}

// redirectable reports whether a request may be sent to another node:
// the entry points of HLS and DASH (master and media playlists, the
// manifest). Segments follow their manifest's node.
func (r route) redirectable() bool {
	return r.kind == kindMaster || r.kind == kindMedia || r.kind == kindMPD
}

// redirect answers rc with status and the same path and query (the
// session token with it) on the node the balancer picks; false when the
// request is served here.
func (h *Handler) redirect(rc *fasthttp.RequestCtx, name string, status int) bool {
	if h.balance == nil {
		return false
	}
	base, ok := h.balance.Redirect(name)
	if !ok {
		return false
	}
	loc := base + string(rc.URI().PathOriginal())
	if q := rc.URI().QueryString(); len(q) > 0 {
		loc += "?" + string(q)
	}
	rc.Response.Header.Set(fasthttp.HeaderLocation, loc)
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, cacheNone)
	rc.SetStatusCode(status)
	return true
}
