package whip

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

// DefaultConnectTimeout is how long a session waits for ICE to connect
// after its answer: a browser on a reachable network connects within a
// second or two; one that cannot reach any of our candidates never will.
const DefaultConnectTimeout = 15 * time.Second

// Config configures a Server. Hooks is required.
type Config struct {
	Hooks Hooks
	// Logger receives session starts, ends and refusals (info) and pion's
	// own logs (debug); slog.Default() when nil. proto=whip is added.
	Logger *slog.Logger
	// IPFilter keeps the local addresses offered as ICE host candidates;
	// nil offers every interface's addresses, loopback included.
	IPFilter func(net.IP) bool
	// ConnectTimeout: DefaultConnectTimeout when zero.
	ConnectTimeout time.Duration
	// Net, when set, carries every session over shared sockets (one UDP
	// port, ICE-TCP); nil: each session gathers ephemeral UDP ports.
	Net *pionrtc.Net
}

// Server answers WHIP offers and owns the sessions they start. Safe for
// concurrent use.
type Server struct {
	cfg Config
	log *slog.Logger
	api *webrtc.API

	sessions *pionrtc.Sessions[*session] // by ID
}

// New returns a Server. It opens no port: each session gathers its own
// host candidates on ephemeral UDP ports.
func New(cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Logger = cfg.Logger.With(slog.String("proto", "whip"))
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	api, err := pionrtc.NewAPI(pionrtc.Options{Logger: cfg.Logger, Prefix: "whip", IPFilter: cfg.IPFilter, Net: cfg.Net})
	if err != nil {
		return nil, err
	}
	return &Server{cfg: cfg, log: cfg.Logger, api: api, sessions: pionrtc.NewSessions[*session]()}, nil
}

// Offer answers offer, an SDP offer, for a publisher of stream name and
// starts its session. ctx bounds the negotiation only (ICE gathering); the
// session lives until End, ICE failure or Close. Errors: Hooks.Admit's as
// they are, ErrBadOffer, ErrClosed.
func (s *Server) Offer(ctx context.Context, name media.StreamName, offer []byte, peer net.Addr) (answer []byte, id string, err error) {
	log := s.log.With(slog.String("stream", string(name)), slog.Any("peer", peer))
	defer func() {
		if err != nil {
			log.Info("whip: publisher refused", slog.Any("err", err))
		}
	}()
	if s.sessions.Closed() {
		return nil, "", ErrClosed
	}
	if err := s.cfg.Hooks.Admit(ctx, name, peer); err != nil {
		return nil, "", err
	}
	id = pionrtc.NewID()
	sess, answer, err := s.negotiate(ctx, sessionConfig{
		id: id, name: name, peer: peer, offer: string(offer), log: log.With(slog.String("session", id)),
	})
	if err != nil {
		return nil, "", err
	}
	if !s.sessions.Add(id, sess) {
		sess.end(ErrClosed)
		<-sess.done
		return nil, "", ErrClosed
	}
	sess.start(s.cfg.ConnectTimeout, func() { s.sessions.Remove(id) })
	log.Info("whip: session started", slog.String("session", id), slog.Any("tracks", sess.in.want))
	return answer, id, nil
}

// End ends session id of stream name (the publisher's DELETE) and returns
// once it has ended. ErrNoSession when there is no such live session.
func (s *Server) End(name media.StreamName, id string) error {
	sess, ok := s.sessions.Get(id)
	if !ok || sess.name != name {
		return fmt.Errorf("session %q of stream %q: %w", id, name, ErrNoSession)
	}
	sess.end(errEnded)
	<-sess.done
	return nil
}

// Sessions returns the number of live sessions.
func (s *Server) Sessions() int {
	return s.sessions.Len()
}

// Close refuses further offers, ends every session and waits until they
// have ended (their publications released). Idempotent.
func (s *Server) Close() { s.sessions.Close(ErrClosed) }
