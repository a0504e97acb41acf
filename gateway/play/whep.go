package play

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"mime"
	"net"
	"net/netip"
	"strconv"

	"github.com/valyala/fasthttp"

	"streamhive/actors/auth"
	"streamhive/actors/sessions"
	"streamhive/gateway/live"
	"streamhive/media"
	"streamhive/media/hub"
)

// WHEP playback (WebRTC-HTTP egress) at Flussonic's URL:
//
//	POST    /NAME/whep       an SDP offer (application/sdp) -> 201 Created,
//	                         the SDP answer, Location: /NAME/whep/ID
//	PATCH   /NAME/whep/ID    trickle ICE (application/trickle-ice-sdpfrag):
//	                         candidates -> 204; new credentials restart ICE
//	                         -> 200 and our fragment
//	DELETE  /NAME/whep/ID    ends the session -> 200
//	OPTIONS either           CORS preflight
//
// The offer's query picks tracks as Flussonic's does: start_track=v2 (the
// second video rendition), filter.tracks=v1a1. Every viewer is admitted by
// the Gate as protocol webrtc; its session's end (kick, ban) closes the
// peer connection, and the viewer's leaving closes the session. Refusals
// use the Control API's error shape: 400 an offer we cannot answer (bad
// SDP, no codec in common, a bad track query), 415 a body of another
// type, 404 no such stream (or session), 403 denied or webrtc off for the
// stream, 503 a stream with nothing to play yet or a stopping server.

// WHEP is the WebRTC playing side the handler hands WHEP requests to.
// Methods are called from many goroutines at once.
type WHEP interface {
	// Play answers v's offer and starts its session; ctx bounds the
	// negotiation. From the call on, the session owns v.Frames and calls
	// v.OnEnd once when it ends, also when Play fails. Errors wrap
	// ErrBadOffer or ErrUnavailable; any other is a 500.
	Play(ctx context.Context, v WHEPViewer) (answer []byte, id string, err error)
	// Trickle applies a trickle-ICE fragment to session id of stream
	// name; it returns our fragment after an ICE restart, else nil.
	// Errors wrap ErrNoSession or ErrBadFragment.
	Trickle(ctx context.Context, name, id string, frag []byte) ([]byte, error)
	// End ends session id of stream name; ErrNoSession when there is none.
	End(name, id string) error
}

// WHEPViewer is one admitted WHEP offer and what it plays.
type WHEPViewer struct {
	Name   string
	Offer  []byte
	Frames *hub.Consumer // starting at a keyframe
	Tracks TrackSelection
	// Audio: the stream has Opus audio, or will soon (an Opus rendition
	// asked for this viewer).
	Audio bool
	Peer  net.Addr
	Ended <-chan struct{} // the viewer's session ended: stop at once
	Sent  func(n int)     // bytes sent, for the session's accounting
	OnEnd func()
}

// ErrBadFragment is what a WHEP implementation wraps for a PATCH body it
// cannot apply (400).
var ErrBadFragment = errors.New("play: bad trickle-ICE fragment")

// ProtoWebRTC is WebRTC playback's name in `protocols` and auth requests.
const ProtoWebRTC = "webrtc"

const (
	whepPathElement = "whep"
	whepMethods     = "POST, OPTIONS"
	typeTrickleICE  = "application/trickle-ice-sdpfrag"
	maxWHEPBody     = 64 << 10 // bytes of an offer or fragment
)

// serveWHEP answers one WHEP request.
func (h *Handler) serveWHEP(rc *fasthttp.RequestCtx, r whipRoute) {
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, cacheNone)
	allow := whepMethods
	if r.id != "" {
		allow = sessionMethods
	}
	switch {
	case rc.IsOptions():
		whipPreflight(rc, allow)
	case len(rc.PostBody()) > maxWHEPBody:
		writeError(rc, fasthttp.StatusRequestEntityTooLarge, codeBadOffer, "the body is over "+strconv.Itoa(maxWHEPBody)+" bytes")
	case r.id == "" && rc.IsPost():
		if h.redirect(rc, r.name, fasthttp.StatusTemporaryRedirect) {
			return
		}
		h.whepOffer(rc, r.name)
	case r.id != "" && rc.IsPatch():
		h.whepPatch(rc, r)
	case r.id != "" && rc.IsDelete():
		if err := h.whep.End(r.name, r.id); err != nil {
			h.whepError(rc, r.name, err)
			return
		}
		rc.SetStatusCode(fasthttp.StatusOK)
	default:
		rc.Response.Header.Set(fasthttp.HeaderAllow, allow)
		writeError(rc, fasthttp.StatusMethodNotAllowed, codeMethod, "")
	}
}

func (h *Handler) whepOffer(rc *fasthttp.RequestCtx, name string) {
	if !contentType(rc, typeSDP) {
		writeError(rc, fasthttp.StatusUnsupportedMediaType, codeUnsupported, "the offer must be "+typeSDP)
		return
	}
	sel, err := parseTrackQuery(rc.QueryArgs().Peek("start_track"), rc.QueryArgs().Peek("filter.tracks"))
	if err != nil {
		writeError(rc, fasthttp.StatusBadRequest, codeBadOffer, err.Error())
		return
	}
	loc, ok := h.streams.Locate(name)
	frames, isLocal := loc.Stream.(live.Frames)
	if !ok || !isLocal {
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, "no stream "+strconv.Quote(name))
		return
	}
	if !loc.Stream.Enabled(ProtoWebRTC) {
		writeError(rc, fasthttp.StatusForbidden, codeDisabled, ProtoWebRTC+" is disabled for stream "+strconv.Quote(name))
		return
	}
	g, ok := h.admitWebRTC(rc, name)
	if !ok {
		return
	}
	ctx, cancel := h.waitContext(whipTimeout)
	defer cancel()
	consumer, err := frames.Frames(ctx)
	if err != nil {
		g.Close()
		writeNotReady(rc, "stream "+strconv.Quote(name)+" has nothing to play yet")
		return
	}
	v := WHEPViewer{
		Name: name, Offer: bytes.Clone(rc.PostBody()), Frames: consumer, Tracks: sel,
		Peer: rc.RemoteAddr(), Ended: g.Ended(), Sent: g.Sent,
	}
	var release func()
	v.Audio, release = opusFor(loc.Stream, consumer.Tracks().List, sel, h.log)
	v.OnEnd = func() { release(); g.Close() }
	answer, id, err := h.whep.Play(ctx, v)
	if err != nil {
		h.whepError(rc, name, err)
		return
	}
	rc.Response.Header.Set(fasthttp.HeaderLocation, "/"+name+"/"+whepPathElement+"/"+id)
	rc.Response.Header.Set(fasthttp.HeaderAccessControlExposeHeaders, "Location, X-Sid")
	if g.Ticket != nil {
		rc.Response.Header.Set("X-Sid", g.Ticket.ID())
	}
	rc.SetContentType(typeSDP)
	rc.SetStatusCode(fasthttp.StatusCreated)
	rc.SetBody(answer)
}

// opusFor says whether a viewer gets audio: the stream's Opus, or an Opus
// rendition of its AAC asked for while the viewer plays (release gives it
// back). A stream that cannot make one plays video only.
func opusFor(st live.Stream, tracks []media.Track, sel TrackSelection, log *slog.Logger) (bool, func()) {
	none := func() {}
	if sel.NoAudio {
		return false, none
	}
	aac := false
	for _, t := range tracks {
		if t.Codec == media.CodecOpus {
			return true, none
		}
		aac = aac || t.Codec == media.CodecAAC
	}
	oa, ok := st.(live.OpusAudio)
	if !aac || !ok {
		return false, none
	}
	release, err := oa.WantOpus()
	if err != nil {
		log.Info("whep: no Opus audio for a viewer", slog.Any("err", err))
		return false, none
	}
	return true, release
}

func (h *Handler) whepPatch(rc *fasthttp.RequestCtx, r whipRoute) {
	if !contentType(rc, typeTrickleICE) {
		writeError(rc, fasthttp.StatusUnsupportedMediaType, codeUnsupported, "a PATCH must be "+typeTrickleICE)
		return
	}
	ctx, cancel := h.waitContext(whipTimeout)
	defer cancel()
	frag, err := h.whep.Trickle(ctx, r.name, r.id, bytes.Clone(rc.PostBody()))
	switch {
	case err != nil:
		h.whepError(rc, r.name, err)
	case frag == nil:
		rc.SetStatusCode(fasthttp.StatusNoContent)
	default:
		rc.SetContentType(typeTrickleICE)
		rc.SetStatusCode(fasthttp.StatusOK)
		rc.SetBody(frag)
	}
}

// whepError answers err in the Control API's error shape.
func (h *Handler) whepError(rc *fasthttp.RequestCtx, name string, err error) {
	q := strconv.Quote(name)
	switch {
	case errors.Is(err, ErrBadOffer):
		writeError(rc, fasthttp.StatusBadRequest, codeBadOffer, err.Error())
	case errors.Is(err, ErrBadFragment):
		writeError(rc, fasthttp.StatusBadRequest, codeBadOffer, err.Error())
	case errors.Is(err, ErrNoSession):
		writeError(rc, fasthttp.StatusNotFound, codeNotFound, "no such WHEP session of stream "+q)
	case errors.Is(err, ErrUnavailable):
		rc.Response.Header.Set(fasthttp.HeaderRetryAfter, retryAfter)
		writeError(rc, fasthttp.StatusServiceUnavailable, codeUnavailable, "playing is unavailable: the server is stopping")
	default:
		h.log.Error("whep: offer failed", slog.String("stream", name), slog.Any("err", err))
		writeError(rc, fasthttp.StatusInternalServerError, codeInternal, "internal error")
	}
}

func contentType(rc *fasthttp.RequestCtx, want string) bool {
	ct, _, err := mime.ParseMediaType(string(rc.Request.Header.ContentType()))
	return err == nil && ct == want
}

// admitWebRTC asks the Gate whether the viewer behind rc may play stream
// name over WebRTC; when it may not, it has answered.
func (h *Handler) admitWebRTC(rc *fasthttp.RequestCtx, name string) (grant, bool) {
	if h.gate == nil {
		return grant{}, true
	}
	ip, _ := netip.AddrFromSlice(rc.RemoteIP())
	a := h.gate.Admit(h.ctx, sessions.Viewer{
		Stream: name, Proto: ProtoWebRTC, IP: ip.Unmap(),
		Token:     string(rc.QueryArgs().Peek(h.tokenQueryKey())),
		Query:     string(rc.URI().QueryString()),
		UserAgent: string(rc.UserAgent()), Referer: string(rc.Referer()),
		// Each offer is a PeerConnection of its own: a session of its
		// own, whatever address and token it shares with another.
		Conn: rc.RemoteAddr().String() + "#" + strconv.FormatUint(rc.ID(), 10),
	})
	switch {
	case a.Verdict == auth.Allow && a.Ticket != nil:
		return grant{Held: sessions.Held{Ticket: a.Ticket}}, true
	case a.Verdict == auth.Redirect && a.Location != "":
		rc.Response.Header.Set(fasthttp.HeaderLocation, a.Location)
		rc.SetStatusCode(fasthttp.StatusFound)
	default: // Deny, and anything the Gate got wrong: fail closed
		writeError(rc, fasthttp.StatusForbidden, codeForbidden, "access to stream denied")
	}
	return grant{}, false
}
