package main

import (
	"sync/atomic"

	"streamhive/actors/config"
	"streamhive/actors/server"
	"streamhive/gateway/play"
	"streamhive/media/drm"
)

// Each protected output's scheme: HLS MPEG-TS as the drm line's
// ts_method= says (tsScheme), HLS fMP4 with cbcs (FairPlay's, and what
// Widevine and PlayReady take in HLS), DASH with cenc (every DASH DRM
// and ClearKey in browsers).
const (
	schemeHLS  = drm.CBCS
	schemeDASH = drm.CENC
)

// tsScheme is HLS MPEG-TS's scheme for a drm line's ts_method=: SAMPLE-AES
// when it asks for it, else whole segments with AES-128 (every HLS player
// has it).
func tsScheme(method string) drm.Scheme {
	if method == config.DRMTSSampleAES {
		return drm.SampleAES
	}
	return drm.AES128
}

// playDRM is the playback handler's play.DRM: a stream is protected when
// its running configuration has a drm line (Server.KeySource, failing
// closed for one that is not running), with the keys its key actor
// holds. A relay of a protected stream encrypts with its own drm line (a
// cluster_ingest stream has it on every node: the same key server and
// resource_id give the same keys); a relay without one gets nothing, as
// the owner hands a protected stream's frames only to a pull that says
// its node protects the stream (protectedM4F, protectsM4F), so nothing
// clear reaches a relay that would serve it clear.
type playDRM struct{ srv *server.Server }

var _ play.DRM = playDRM{}

// Protection implements play.DRM. Lock-free: it runs on every request.
func (d playDRM) Protection(name string) (play.Protection, bool) {
	keys, ok := d.srv.KeySource(name)
	if !ok {
		return play.Protection{}, false
	}
	return play.Protection{
		Keys: keys, TS: tsScheme(d.srv.TSMethod(name)), HLS: schemeHLS, DASH: schemeDASH,
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

// protectsM4F reports whether this node's stream name encrypts its
// outputs itself (a drm line), which its m4f pull tells the owner: the
// running server's view (the stream's actor decides), or the loaded
// configuration's while the server starts (inputs pull before Start
// returns).
func protectsM4F(running *atomic.Pointer[server.Server], cfg *config.Server) func(name string) bool {
	return func(name string) bool {
		if s := running.Load(); s != nil {
			_, protected := s.KeySource(name)
			return protected
		}
		st, ok := cfg.Effective(name)
		return ok && st.DRM != nil
	}
}
