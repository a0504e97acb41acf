package whep

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/pion/webrtc/v4"

	"streamhive/media"
	"streamhive/protocols/pionrtc"
)

// DefaultConnectTimeout is how long a session waits for ICE and DTLS to
// connect after its answer.
const DefaultConnectTimeout = 15 * time.Second

// Config configures a Server.
type Config struct {
	// Logger receives session starts, ends and refusals (info) and pion's
	// own logs (debug); slog.Default() when nil. proto=whep is added.
	Logger *slog.Logger
	// IPFilter keeps the local addresses offered as ICE host candidates;
	// nil offers every interface's addresses, loopback included.
	IPFilter func(net.IP) bool
	// Net, when set, carries every session over shared sockets (one UDP
	// port, ICE-TCP, public addresses); nil: ephemeral UDP ports.
	Net *pionrtc.Net
	// ConnectTimeout: DefaultConnectTimeout when zero.
	ConnectTimeout time.Duration
}

// Server answers WHEP offers and owns the sessions they start. Safe for
// concurrent use.
type Server struct {
	cfg   Config
	log   *slog.Logger
	api   *webrtc.API
	cache *payloadCache

	sessions *pionrtc.Sessions[*session] // by ID
}

// New returns a Server.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Logger = cfg.Logger.With(slog.String("proto", "whep"))
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	api, err := pionrtc.NewAPI(pionrtc.Options{Logger: cfg.Logger, Prefix: "whep", IPFilter: cfg.IPFilter, Net: cfg.Net})
	if err != nil {
		return nil, err
	}
	return &Server{cfg: cfg, log: cfg.Logger, api: api, cache: newPayloadCache(), sessions: pionrtc.NewSessions[*session]()}, nil
}

// Play answers v's offer and starts its session. ctx bounds the
// negotiation only (ICE gathering). On an error the consumer is closed
// and OnEnd called. Errors: ErrBadOffer, ErrClosed, ctx's.
func (s *Server) Play(ctx context.Context, v Viewer) (answer []byte, id string, err error) {
	log := s.log.With(slog.String("stream", string(v.Name)), slog.Any("peer", v.Peer))
	id = pionrtc.NewID()
	sess := newSession(s, id, v, log.With(slog.String("session", id)))
	if s.sessions.Closed() {
		sess.abort(ErrClosed)
		return nil, "", ErrClosed
	}
	answer, err = sess.negotiate(ctx)
	if err != nil {
		log.Info("whep: viewer refused", slog.Any("err", err))
		sess.abort(err)
		return nil, "", err
	}
	if !s.sessions.Add(id, sess) {
		sess.abort(ErrClosed)
		return nil, "", ErrClosed
	}
	sess.start(s.cfg.ConnectTimeout, func() { s.sessions.Remove(id) })
	log.Info("whep: session started", slog.String("session", id), slog.String("tracks", sess.kinds()))
	return answer, id, nil
}

// End ends session id of stream name (the viewer's DELETE) and returns
// once it has ended. ErrNoSession when there is no such live session.
func (s *Server) End(name media.StreamName, id string) error {
	sess, err := s.find(name, id)
	if err != nil {
		return err
	}
	sess.end(errEnded)
	<-sess.done
	return nil
}

// Trickle applies a trickle-ICE fragment (RFC 8840) to session id of
// stream name: the viewer's candidates, or, with new ICE credentials, an
// ICE restart, whose answer fragment it returns (nil otherwise). Errors:
// ErrNoSession, ErrBadFragment.
func (s *Server) Trickle(ctx context.Context, name media.StreamName, id string, frag []byte) ([]byte, error) {
	sess, err := s.find(name, id)
	if err != nil {
		return nil, err
	}
	f, err := parseFragment(frag)
	if err != nil {
		return nil, err
	}
	return sess.trickle(ctx, f)
}

func (s *Server) find(name media.StreamName, id string) (*session, error) {
	sess, ok := s.sessions.Get(id)
	if !ok || sess.v.Name != name {
		return nil, fmt.Errorf("session %q of stream %q: %w", id, name, ErrNoSession)
	}
	return sess, nil
}

// Sessions returns the number of live sessions.
func (s *Server) Sessions() int {
	return s.sessions.Len()
}

// Close refuses further offers, ends every session and waits until they
// have ended. Idempotent.
func (s *Server) Close() { s.sessions.Close(ErrClosed) }
