package main

import (
	"streamhive/actors/server"
	"streamhive/gateway/play"
)

// playOptions are the playback handler's sessions: every request through
// the server's viewer sessions (its Gate), tokens under the running
// configuration's auth_token key; and its protected streams' keys
// (drm.go).
func playOptions(srv *server.Server, o play.Options) play.Options {
	o.Gate = srv.Gate()
	o.TokenKey = func() string { return srv.Config().AuthToken }
	o.DRM = playDRM{srv}
	return o
}
