package listener

import (
	"context"
	"net"
	"strings"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/auth"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/protocols/whip"
)

// Publisher is the publish path for publishers that do not come through a
// listener actor of ours: WHIP offers arrive at the HTTP gateway, and the
// protocols/whip server that terminates them calls this. It is the same
// path RTMP, RTSP and SRT publishers take. Safe for concurrent use; its
// methods run on the caller's goroutine and ask the stream actor with the
// caller's deadline.
type Publisher struct{ p publisher }

var _ whip.Hooks = (*Publisher)(nil)

// NewPublisher returns a Publisher that finds streams with lookup (the
// streams Directory, lock-free), asks them through root, and lets in the
// publishers that policies allow (nil: no stream is protected). The
// publishers they refuse are logged to root's actor system logger.
func NewPublisher(root *actor.RootContext, lookup func(name string) (*stream.Status, bool), policies auth.Policies) *Publisher {
	return &Publisher{p: publisher{root: root, lookup: lookup, policies: policies, log: root.ActorSystem().Logger()}}
}

// WithDynamic returns p creating the streams templates admit publishers
// to through d.
func (p *Publisher) WithDynamic(d Dynamic) *Publisher {
	q := *p
	q.p.dynamic = d
	return &q
}

// Admit refuses, before any WebRTC work, a publisher whose stream is not
// configured (ErrNoStream), not running (ErrStreamDown), has no publish://
// input (stream.ErrNoPublishInput), all from the streams directory alone,
// or whose stream's publish policy refuses the credentials that ctx
// carries (WithPublishCredentials; ErrPublishDenied).
func (p *Publisher) Admit(ctx context.Context, name media.StreamName, peer net.Addr) error {
	if err := p.p.publishable(name); err != nil {
		return err
	}
	c, _ := ctx.Value(publishCredentialsKey{}).(credentials)
	c.proto, c.peer = "webrtc", peer
	return p.p.authorize(ctx, name, c)
}

// Publish hands a publication to stream name: see publisher.publish. The
// counters ctx carries (media.WithInputStats) become the publish://
// input's stats while this publisher holds the slot. Admit has decided
// the policy for this session (the WHIP server calls it first).
func (p *Publisher) Publish(ctx context.Context, name media.StreamName, tracks []media.Track, peer net.Addr) (media.Sink, func(), error) {
	return p.p.publish(ctx, name, tracks, credentials{proto: "webrtc", peer: peer, checked: true})
}

type publishCredentialsKey struct{}

// WithPublishCredentials returns ctx carrying what a WHIP publisher
// presented with its offer, for Admit: the request's query string
// (password=, token=) and its Authorization header. A bearer token
// (WHIP's own credential, RFC 9725 section 4.5) counts as the token and,
// when the query has no password=, as the password, since encoders such
// as OBS have only that one field. The gateway's WHIP handler calls this.
func WithPublishCredentials(ctx context.Context, query, authorization string) context.Context {
	c := credentials{query: query}
	if scheme, tok, ok := strings.Cut(strings.TrimSpace(authorization), " "); ok && strings.EqualFold(scheme, "Bearer") {
		c.token = strings.TrimSpace(tok)
		c.password = c.token
	}
	return context.WithValue(ctx, publishCredentialsKey{}, c)
}
