package main

import (
	"streamhive/actors/server"
	"streamhive/gateway/play"
	"streamhive/media/drm"
)

// Each protected output's scheme: whole MPEG-TS segments with AES-128
// (every HLS player has it), HLS fMP4 with cbcs (FairPlay's, and what
// Widevine and PlayReady take in HLS), DASH with cenc (every DASH DRM
// and ClearKey in browsers).
const (
	schemeTS   = drm.AES128
	schemeHLS  = drm.CBCS
	schemeDASH = drm.CENC
)

// playDRM is the playback handler's play.DRM: a stream is protected when
// its running configuration has a drm line (Server.KeySource, failing
// closed for one that is not running), with the keys its key actor
// holds. A relay of another node's stream has no drm line here; its owner
// refuses to hand a protected stream's frames over (protectedM4F), so
// nothing clear reaches the relay to serve.
type playDRM struct{ srv *server.Server }

var _ play.DRM = playDRM{}

// Protection implements play.DRM. Lock-free: it runs on every request.
func (d playDRM) Protection(name string) (play.Protection, bool) {
	keys, ok := d.srv.KeySource(name)
	if !ok {
		return play.Protection{}, false
	}
	return play.Protection{
		Keys: keys, TS: schemeTS, HLS: schemeHLS, DASH: schemeDASH,
		Clear: d.srv.ClearOutputs(name),
	}, true
}

// protectedM4F reports whether stream name's frames must not leave this
// node over m4f: they are clear, and the pulling node would serve them
// without the stream's drm line.
func protectedM4F(srv *server.Server) func(name string) bool {
	return func(name string) bool {
		_, protected := srv.KeySource(name)
		return protected
	}
}
