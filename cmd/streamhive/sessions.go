package main

import (
	"streamhive/actors/server"
	"streamhive/actors/sessions"
	"streamhive/gateway/play"
)

// playOptions are the playback handler's sessions: every request through
// the server's viewer sessions (its Gate), tokens under the running
// configuration's auth_token key.
func playOptions(srv *server.Server, o play.Options) play.Options {
	o.Gate = playGate(srv)
	o.TokenKey = func() string { return srv.Config().AuthToken }
	return o
}

// playGate is the server's Gate. The interface check keeps this building
// until actors/server has its sessions supervisor.
func playGate(srv *server.Server) sessions.Gate {
	if s, ok := any(srv).(interface{ Gate() sessions.Gate }); ok {
		return s.Gate()
	}
	return nil
}
