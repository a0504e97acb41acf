package listener

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sync"
	"time"

	"streamhive/actors/auth"
	"streamhive/actors/push"
	"streamhive/actors/sessions"
)

// ErrViewerDenied refuses a viewer whom the session gate does not let in
// (auth, limits, a ban).
var ErrViewerDenied = errors.New("viewer not admitted")

// errNoViewers refuses players on a listener that takes publishers only.
var errNoViewers = errors.New("this listener serves publishers only")

// playTimeout bounds a viewer's admission and the wait for an on-demand
// stream to start.
const playTimeout = 15 * time.Second

// viewing is an admitted viewer of a stream: its session and one
// rendition of its frames.
type viewing struct {
	ticket sessions.Ticket
	src    push.Source
	close  func() // ends the session and the subscription, once
}

// play admits viewer v over output proto ("rtmp", "rtsp": the `protocols`
// directive's names) and subscribes it to its stream; with proto "" it
// only admits (src nil). Errors wrap
// ErrNoStream, ErrStreamDown, ErrProtocolOff or ErrViewerDenied. The
// stream is looked up before the gate is asked, so that a name no
// stream has opens no session.
func (p *publisher) play(ctx context.Context, v sessions.Viewer, proto string) (*viewing, error) {
	if p.viewers == nil {
		return nil, errNoViewers
	}
	if _, ok := p.lookup(v.Stream); !ok {
		return nil, fmt.Errorf("%w: %q", ErrNoStream, v.Stream)
	}
	ctx, cancel := context.WithTimeout(ctx, playTimeout)
	defer cancel()
	a := p.viewers.Admit(ctx, v)
	if a.Verdict != auth.Allow || a.Ticket == nil { // a redirect cannot be followed here: fail closed
		return nil, fmt.Errorf("%w: %q", ErrViewerDenied, v.Stream)
	}
	if proto == "" { // the caller subscribes apart (RTSP: once per stream)
		return &viewing{ticket: a.Ticket, close: sync.OnceFunc(a.Ticket.Close)}, nil
	}
	c, err := p.viewers.Subscribe(ctx, v.Stream, proto)
	if err != nil {
		a.Ticket.Close()
		return nil, err
	}
	return &viewing{ticket: a.Ticket, src: push.OneRendition(c), close: sync.OnceFunc(func() {
		c.Close()
		a.Ticket.Close()
	})}, nil
}

// viewerOf describes a player's connection to the gate: its address, the
// token in its query under the configuration's token key, and its user
// agent where the protocol has one. Each connection is a session of its
// own (Conn): two players on one machine are two viewers.
func (p *publisher) viewerOf(name, proto string, peer net.Addr, query, userAgent string) sessions.Viewer {
	q, _ := url.ParseQuery(query)
	return sessions.Viewer{
		Stream: name, Proto: proto, IP: addrIP(peer),
		Token: q.Get(auth.TokenKeyOf(p.policies)), Query: query, UserAgent: userAgent,
		Conn: peerString(peer),
	}
}
