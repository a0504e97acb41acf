package main

import (
	"log/slog"

	"github.com/valyala/fasthttp"

	"streamhive/actors/server"
	"streamhive/gateway/local"
	"streamhive/gateway/vod"
)

// withVOD serves the files of the running configuration's VOD locations
// (gateway/vod, over the server's registry) ahead of the live paths: a
// GET or HEAD whose path starts with a location's prefix and names one
// of its files. Every request goes through the server's viewer sessions,
// like the streams'. Anything else goes on to live.
func withVOD(srv *server.Server, log *slog.Logger, live fasthttp.RequestHandler) fasthttp.RequestHandler {
	h := vod.New(vod.Options{
		Locations: local.VODs{Registry: srv.VODs()},
		Gate:      srv.Gate(),
		TokenKey:  func() string { return srv.Config().AuthToken },
		Logger:    log,
	})
	return func(rc *fasthttp.RequestCtx) {
		if (rc.IsGet() || rc.IsHead()) && h.Serve(rc) {
			return
		}
		live(rc)
	}
}
