package srt

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	gosrt "github.com/datarhei/gosrt"

	"streamhive/media"
)

// Server accepts SRT publishers (callers sending MPEG-TS) and hands their
// media to Hooks, and, with a Player, viewers (callers that ask to play,
// sent MPEG-TS). The streamid's m= decides: m=request plays, m=publish or
// none publishes, unless PlayOnly. Set the fields, call Listen, then Serve
// once; Close may be called from any goroutine.
type Server struct {
	Hooks Hooks // required
	// Player serves viewers; nil refuses them with REJX_BAD_MODE.
	Player Player
	// PlayOnly makes a play port (srt_play): a caller without m= plays,
	// and m=publish is refused with REJX_BAD_MODE.
	PlayOnly bool
	// Passphrase, when set, is required of every caller (10 to 79
	// characters, as libsrt wants); an unencrypted caller is refused with
	// REJ_UNSECURE and a wrong passphrase with REJ_BADSECRET. Empty: only
	// unencrypted callers are accepted (encryption is enforced both ways,
	// as libsrt's and Flussonic's enforcedencryption default).
	Passphrase string
	// Latency is the latency (SRTO_LATENCY: ours as a receiver, the one
	// we ask of a viewer) we propose; the larger of it and the caller's
	// wins. Default 120 ms.
	Latency time.Duration
	Logger  *slog.Logger // default slog.Default()

	mu     sync.Mutex
	ln     gosrt.Listener
	conns  map[*serverConn]struct{} // guarded by mu
	closed bool                     // guarded by mu
	wg     sync.WaitGroup           // request and connection goroutines
}

// Listen opens the UDP port (host:port; port 0 picks a free one). A port
// that another socket holds is an error.
func (s *Server) Listen(address string) error {
	// gosrt binds with SO_REUSEADDR, with which Linux lets any number of
	// UDP sockets share a port (and splits the datagrams between them).
	// Binding once without it first makes a taken port an error, and
	// turns port 0 into the port gosrt then binds.
	probe, err := net.ListenPacket("udp", address)
	if err != nil {
		return fmt.Errorf("srt: %w", err)
	}
	address = probe.LocalAddr().String()
	_ = probe.Close()

	cfg := gosrt.DefaultConfig()
	if s.Latency > 0 {
		// Ours when we receive (a publisher), the one we ask of the
		// caller when we send (a viewer).
		cfg.ReceiverLatency, cfg.PeerLatency = s.Latency, s.Latency
	}
	ln, err := gosrt.Listen("srt", address, cfg)
	if err != nil {
		return fmt.Errorf("srt: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		ln.Close()
		return ErrServerClosed
	}
	s.ln = ln
	return nil
}

// Addr is the address Listen opened; nil before.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Serve answers connection requests until Close is called, then returns
// ErrServerClosed once every connection has ended and released its
// publication. Each request is decided on its own goroutine, so a slow
// Hooks.Admit does not hold the others up.
func (s *Server) Serve() error {
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	if ln == nil {
		return errors.New("srt: Serve before Listen")
	}
	log := s.logger()
	for {
		req, err := ln.Accept2()
		if err != nil {
			if s.isClosed() {
				s.wg.Wait()
				return ErrServerClosed
			}
			return fmt.Errorf("srt: accept: %w", err)
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.handle(req, log)
		}()
	}
}

// Close stops accepting and closes every connection; their publications
// end through their release funcs. Serve returns after that.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	ln := s.ln
	conns := make([]*serverConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.cancel()
	}
	if ln != nil {
		ln.Close()
	}
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// handle decides one connection request and serves it if accepted.
func (s *Server) handle(req gosrt.ConnRequest, log *slog.Logger) {
	peer := req.RemoteAddr()
	// The streamid is not logged as sent: it may carry password=.
	id, _ := ParseStreamID(req.StreamId())
	log = log.With(slog.String("proto", "srt"), slog.Any("peer", peer), slog.String("resource", id.Name))
	who := "publisher"
	if s.Player != nil && s.plays(id) {
		who = "viewer"
	}
	name, play, err := s.admit(req, peer)
	if play != nil {
		defer play.Close()
	}
	if err != nil {
		reason := reasonOf(err)
		req.Reject(gosrt.RejectionReason(reason))
		log.Warn("srt: "+who+" refused", slog.String("reason", reason.String()), slog.Any("err", err))
		return
	}
	conn, err := req.Accept()
	if err != nil {
		log.Warn("srt: accepting the connection failed", slog.Any("err", err))
		return
	}
	c := s.track(conn)
	if c == nil {
		_ = conn.Close() // closed meanwhile
		return
	}
	defer s.untrack(c)
	log.Info("srt: " + who + " connected")
	if play != nil {
		err = c.servePlay(play, log)
	} else {
		err = c.serve(name, s.Hooks, log)
	}
	if s.isClosed() {
		log.Info("srt: " + who + " closed by the server")
		return
	}
	if play != nil {
		log.Info("srt: viewer left", slog.Any("err", err))
		return
	}
	log.Warn("srt: publisher ended", slog.Any("err", err))
}

// admit checks the request's streamid and passphrase and asks Hooks (a
// publisher) or the Player (a viewer, whose Play it returns); it returns
// the stream name, and why the request is refused.
func (s *Server) admit(req gosrt.ConnRequest, peer net.Addr) (media.StreamName, Play, error) {
	id, ok := ParseStreamID(req.StreamId())
	if !ok {
		return "", nil, Reject(ReasonBadRequest, errors.New("srt: malformed streamid"))
	}
	name := media.StreamName(id.Name)
	playing := s.plays(id)
	switch {
	case playing && s.Player == nil:
		return name, nil, Reject(ReasonBadMode, fmt.Errorf("%w (m=%s)", ErrNotPublish, id.Mode))
	case !playing && (s.PlayOnly || !id.Publishing()):
		return name, nil, Reject(ReasonBadMode, fmt.Errorf("%w (m=%s)", ErrNotPlay, id.Mode))
	}
	if err := s.checkEncryption(req); err != nil {
		return name, nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), admitTimeout)
	defer cancel()
	if playing {
		play, err := s.Player.AdmitPlay(ctx, PlayRequest{Name: name, Peer: peer, ID: id})
		return name, play, err
	}
	ctx = context.WithValue(ctx, publishInfoKey{}, PublishInfo{Peer: peer, StreamID: req.StreamId()})
	return name, nil, s.Hooks.Admit(ctx, name, peer)
}

// plays reports whether a caller with id asks to play: m=request, or no
// mode on a play-only port.
func (s *Server) plays(id StreamID) bool {
	return id.Mode == "request" || (id.Mode == "" && s.PlayOnly)
}

// checkEncryption enforces the passphrase both ways, as libsrt's
// enforcedencryption default does.
func (s *Server) checkEncryption(req gosrt.ConnRequest) error {
	switch {
	case s.Passphrase == "" && req.IsEncrypted():
		return Reject(ReasonUnsecure, fmt.Errorf("%w: the caller encrypts, the server has no passphrase", ErrEncryption))
	case s.Passphrase != "" && !req.IsEncrypted():
		return Reject(ReasonUnsecure, fmt.Errorf("%w: a passphrase is required", ErrEncryption))
	case s.Passphrase != "":
		if err := req.SetPassphrase(s.Passphrase); err != nil {
			return Reject(ReasonBadSecret, fmt.Errorf("%w: %w", ErrPassphrase, err))
		}
	}
	return nil
}

// admitTimeout bounds Hooks.Admit (which may ask an auth backend): under
// libsrt's default connect timeout of 3 s, so that the caller hears the
// refusal rather than giving up on a silent handshake.
const admitTimeout = 2500 * time.Millisecond

// track registers a new connection; nil if the server has closed.
func (s *Server) track(conn gosrt.Conn) *serverConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	c := newServerConn(conn)
	if s.conns == nil {
		s.conns = map[*serverConn]struct{}{}
	}
	s.conns[c] = struct{}{}
	return c
}

func (s *Server) untrack(c *serverConn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}
