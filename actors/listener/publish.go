package listener

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"strings"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/google/uuid"

	"streamhive/actors/auth"
	"streamhive/actors/kit"
	"streamhive/actors/stream"
	"streamhive/media"
)

// publisher is the one path by which every protocol listener hands a
// connection's publication to a stream. Its methods run on connection
// goroutines and ask the stream actor with the connection's deadline.
type publisher struct {
	root     *actor.RootContext
	lookup   func(name string) (*stream.Status, bool)
	policies auth.Policies // nil: no stream is protected
	dynamic  Dynamic       // nil: no stream is created for a publisher
	log      *slog.Logger  // refusals by the policy; nil: slog.Default()
	viewers  Viewers       // the play side (play.go); nil: publishers only
}

// credentials is what a publisher presented, in its protocol's terms.
type credentials struct {
	proto string // auth.Request.Proto: rtmp, rtmps, rtsp, rtsps, srt, webrtc
	peer  net.Addr
	// query is the query string the publisher sent (rtmp://HOST/live/NAME?password=X,
	// rtsp://HOST/NAME?token=T); its password= and token= keys (token=
	// being auth_token's key when the configuration names one) are the
	// credentials every protocol can carry.
	query string
	// password and token are a protocol's own credentials (an SRT
	// streamid's password=, a WHIP bearer token), used when the query
	// has none.
	password, token string
	// checked says the protocol already asked at its handshake (Admit),
	// before the media: publish does not ask the backend a second time.
	checked bool
}

// request is the auth request of a publisher of stream name, whose token
// comes in the query key tokenKey. Each publish attempt is a session of
// its own for the backend (a fresh session_id).
func (c credentials) request(name media.StreamName, tokenKey string) auth.Request {
	q, _ := url.ParseQuery(c.query) // a malformed pair is dropped; the rest counts
	r := auth.Request{
		Name: string(name), Proto: c.proto, IP: addrIP(c.peer), Type: auth.NewSession, SessionID: uuid.NewString(),
		Token: q.Get(tokenKey), QS: c.query, Publish: true, Password: q.Get("password"),
	}
	if r.Password == "" {
		r.Password = c.password
	}
	if r.Token == "" {
		r.Token = c.token
	}
	return r
}

// none reports whether the publisher presented no credentials at all: no
// password and no token (under tokenKey) in its query, none of its
// protocol's own.
func (c credentials) none(tokenKey string) bool {
	if c.password != "" || c.token != "" {
		return false
	}
	q, _ := url.ParseQuery(c.query)
	return q.Get("password") == "" && q.Get(tokenKey) == ""
}

func addrIP(a net.Addr) netip.Addr {
	if a == nil {
		return netip.Addr{}
	}
	if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		return ap.Addr().Unmap()
	}
	return netip.Addr{}
}

// authorize asks stream name's publish policy (on_publish, password)
// whether c may publish. Nil when the stream is not protected or the
// policy allows; ErrPublishDenied, with the policy's reason (free of
// secrets), when it does not. A redirect is a refusal: publishers cannot
// follow one.
func (p *publisher) authorize(ctx context.Context, name media.StreamName, c credentials) error {
	if c.checked || p.policies == nil {
		return nil
	}
	pol := p.policies.Publish(string(name))
	if pol == nil {
		return nil
	}
	r := c.request(name, auth.TokenKeyOf(p.policies))
	d := pol.Check(ctx, r)
	if d.Allowed() {
		return nil
	}
	p.logRefusal(r, d)
	return fmt.Errorf("stream %q: %w (%s)", name, ErrPublishDenied, d.Reason)
}

// logRefusal logs a publisher the policy refused, with what an operator
// needs to tell who it was and why: never the password or the token.
func (p *publisher) logRefusal(r auth.Request, d auth.Decision) {
	log := p.log
	if log == nil {
		log = slog.Default()
	}
	log.Warn("publisher refused by policy", slog.String("stream", r.Name), slog.String("proto", r.Proto),
		slog.String("ip", r.IP.String()), slog.String("reason", d.Reason))
}

// publish checks c against stream name's publish policy, then asks the
// stream's actor for its publisher slot and returns where to write frames
// and the func that releases the slot. The refusal reasons (no such
// stream, stream not running, publishing refused, no publish:// input)
// come back as errors naming the stream; each protocol server logs and
// answers them in its own terms.
func (p *publisher) publish(ctx context.Context, name media.StreamName, tracks []media.Track, c credentials) (media.Sink, func(), error) {
	st, err := p.target(name)
	if err != nil {
		return nil, nil, err
	}
	if err := p.authorize(ctx, name, c); err != nil {
		return nil, nil, err
	}
	if st == nil { // a template admits it: created only now, once the policy let the publisher in
		if st, err = p.dynamic.Open(ctx, string(name)); err != nil {
			return nil, nil, fmt.Errorf("stream %q: %w", name, err)
		}
	}
	req := &stream.AcceptPublisher{Tracks: tracks, Stats: media.InputStatsFrom(ctx)}
	if c.peer != nil {
		req.Peer = c.peer.String()
	}
	rep, err := kit.Ask[*stream.AcceptPublisherReply](ctx, p.root, st.PID, req)
	if err == nil {
		err = rep.Err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("stream %q: %w", name, err)
	}
	pid, session := st.PID, rep.Session
	release := func() { p.root.Send(pid, &stream.ReleasePublisher{Session: session}) }
	return rep.Sink, release, nil
}

// target finds the stream a publisher to name feeds: its running status,
// or nil and no error when no stream has the name but a template admits a
// publisher to it (the stream is created after the publish policy). An
// unknown name is ErrNoStream, a stream whose actor is not running
// ErrStreamDown.
func (p *publisher) target(name media.StreamName) (*stream.Status, error) {
	st, ok := p.lookup(string(name))
	switch {
	case !ok && p.dynamic != nil && p.dynamic.Admits(string(name)):
		return nil, nil
	case !ok:
		return nil, fmt.Errorf("stream %q: %w", name, ErrNoStream)
	case st == nil || st.PID == nil:
		return nil, fmt.Errorf("stream %q: %w", name, ErrStreamDown)
	}
	return st, nil
}

// publishable is target's refusals and, for a configured stream, one
// without a publish:// input (stream.ErrNoPublishInput): what SRT and WHIP
// refuse from the streams directory alone, before their handshake's
// costly part. A name a template admits is publishable.
func (p *publisher) publishable(name media.StreamName) error {
	st, err := p.target(name)
	if err == nil && st != nil && !hasPublishInput(st) {
		err = fmt.Errorf("stream %q: %w", name, stream.ErrNoPublishInput)
	}
	return err
}

func hasPublishInput(st *stream.Status) bool {
	for _, in := range st.Inputs {
		if strings.HasPrefix(in.URL, "publish://") {
			return true
		}
	}
	return false
}
