package rtmp

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	gortmp "github.com/yutopp/go-rtmp"
)

// defaultReadTimeout closes connections that send nothing for this long:
// encoders send media many times a second, so 30 s only catches the dead.
const defaultReadTimeout = 30 * time.Second

// Server accepts RTMP publishers and hands their media to Hooks, and
// serves players when Hooks is a Player. Set the fields, then call Serve once; Close may be called
// from any goroutine.
type Server struct {
	Hooks  Hooks        // required
	Logger *slog.Logger // default slog.Default()

	// ReadTimeout closes a connection that sends nothing for this long.
	// Default 30 s.
	ReadTimeout time.Duration

	// TLSConfig, when set, serves RTMPS: Serve wraps its listener in TLS.
	// The handshake runs on the connection's first read, under
	// ReadTimeout, so a client that never completes it is dropped.
	TLSConfig *tls.Config

	mu     sync.Mutex
	lib    *gortmp.Server
	ln     net.Listener             // guarded by mu; closed by Close too
	conns  map[*serverConn]struct{} // guarded by mu
	closed bool                     // guarded by mu

	tags tagCache // the frames' tag bodies, shared by every viewer
}

// Serve accepts connections on ln until Close is called, then returns
// ErrServerClosed. It closes ln when it returns.
func (s *Server) Serve(ln net.Listener) error {
	log := s.logger()
	if s.TLSConfig != nil {
		ln = tls.NewListener(ln, s.TLSConfig)
	}
	lib := gortmp.NewServer(&gortmp.ServerConfig{
		OnConnect: func(nc net.Conn) (io.ReadWriteCloser, *gortmp.ConnConfig) {
			return s.accept(nc, log)
		},
	})
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ln.Close()
		return ErrServerClosed
	}
	s.lib, s.ln = lib, ln
	s.mu.Unlock()

	bl := &backoffListener{Listener: ln, stop: func() { _ = lib.Close() }}
	err := lib.Serve(bl)
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	switch {
	case closed:
		return ErrServerClosed
	case errors.Is(err, gortmp.ErrClosed):
		return fmt.Errorf("rtmp: listener closed: %w", net.ErrClosed)
	default:
		return err
	}
}

// Close stops accepting and closes every connection. Publications end
// through their release funcs as the connections close.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	lib, ln := s.lib, s.ln
	conns := make([]*serverConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()

	if lib != nil {
		_ = lib.Close()
	}
	// go-rtmp's Close closes the listener only once its Serve has
	// registered it: a Close between our Serve's start and that would
	// leave Accept blocked for good. Closing it here too ends the loop.
	if ln != nil {
		_ = ln.Close()
	}
	for _, c := range conns {
		c.close()
	}
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// accept wraps a new connection. It runs on the connection's goroutine
// before the RTMP handshake.
func (s *Server) accept(nc net.Conn, log *slog.Logger) (io.ReadWriteCloser, *gortmp.ConnConfig) {
	timeout := s.ReadTimeout
	if timeout <= 0 {
		timeout = defaultReadTimeout
	}
	proto := "rtmp"
	if s.TLSConfig != nil {
		proto = "rtmps"
	}
	c := newServerConn(s, nc, timeout, log.With("proto", proto, "peer", nc.RemoteAddr().String()))

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		c.close()
	} else {
		if s.conns == nil {
			s.conns = make(map[*serverConn]struct{})
		}
		s.conns[c] = struct{}{}
		s.mu.Unlock()
	}

	g := newGuardConn(c.nc)
	g.lens = &c.lens
	return g, &gortmp.ConnConfig{
		Handler: c,
		Logger:  newLogrus(c.log),
		ControlState: gortmp.StreamControlStateConfig{
			DefaultBandwidthWindowSize: 6 * 1024 * 1024,
			MaxChunkStreams:            maxChunkStreams,
			MaxMessageStreams:          maxMessageStreams,
		},
	}
}

func (s *Server) forget(c *serverConn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// Limits on what one connection may open. Encoders use a handful of chunk
// streams (ffmpeg 2-6, OBS 2-6) and one message stream.
const (
	maxChunkStreams   = 64
	maxMessageStreams = 8
)

// backoffListener keeps go-rtmp's accept loop, which retries failed
// Accepts without pause, from spinning: it sleeps after a failure, as
// net/http does, and stops the server when the listener itself is gone.
type backoffListener struct {
	net.Listener
	stop  func()
	delay time.Duration
}

func (l *backoffListener) Accept() (net.Conn, error) {
	nc, err := l.Listener.Accept()
	if err == nil {
		l.delay = 0
		return nc, nil
	}
	if errors.Is(err, net.ErrClosed) {
		l.stop()
		return nil, err
	}
	l.delay = min(max(2*l.delay, 5*time.Millisecond), time.Second)
	time.Sleep(l.delay)
	return nil, err
}
