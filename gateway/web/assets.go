package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"path"
	"sync"

	"github.com/valyala/fasthttp"

	"streamhive/gateway/api"
)

// AssetPrefix is the path the page's scripts are served under: one fixed
// path for every stream, so that a browser caches them once.
const AssetPrefix = "/streamhive/assets/"

// cacheAsset: an asset's URL names its content (?v=hash), so a browser
// may keep it for a year without asking again.
const cacheAsset = "public, max-age=31536000, immutable"

//go:embed assets
var assetFS embed.FS

// asset is one file under assets/, ready to serve.
type asset struct {
	body  []byte
	ctype string
	etag  string // quoted, a prefix of the content's SHA-256
}

// assets reads the embedded files once.
var assets = sync.OnceValue(func() map[string]asset {
	m := map[string]asset{}
	entries, _ := fs.ReadDir(assetFS, "assets") // embedded: cannot fail
	for _, e := range entries {
		b, _ := assetFS.ReadFile("assets/" + e.Name())
		sum := sha256.Sum256(b)
		ctype := mime.TypeByExtension(path.Ext(e.Name()))
		if ctype == "" {
			ctype = "text/plain; charset=utf-8" // the licence files
		}
		m[e.Name()] = asset{body: b, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	}
	return m
})

// assetURL is the URL the page loads asset name from.
func assetURL(name string) string {
	a := assets()[name]
	return AssetPrefix + name + "?v=" + a.etag[1:len(a.etag)-1]
}

// ServeAsset answers a GET or HEAD of AssetPrefix+name: the file, 304
// when the browser has it (If-None-Match), 404 when there is none.
func ServeAsset(rc *fasthttp.RequestCtx, name string) {
	a, ok := assets()[name]
	if !ok {
		rc.Response.Header.Set(fasthttp.HeaderCacheControl, "no-cache")
		api.WriteError(rc, fasthttp.StatusNotFound, "not_found", "no such asset")
		return
	}
	h := &rc.Response.Header
	h.Set(fasthttp.HeaderCacheControl, cacheAsset)
	h.Set(fasthttp.HeaderETag, a.etag)
	h.Set("X-Content-Type-Options", "nosniff")
	if string(rc.Request.Header.Peek(fasthttp.HeaderIfNoneMatch)) == a.etag {
		rc.SetStatusCode(fasthttp.StatusNotModified)
		return
	}
	rc.SetContentType(a.ctype)
	rc.Response.SetBodyRaw(a.body) // embedded bytes: never modified
}
