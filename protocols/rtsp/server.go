package rtsp

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/auth"
)

// Server accepts RTSP publishers (ANNOUNCE + RECORD, RTP interleaved over
// TCP or over UDP; RTSPS with TLSConfig) and hands their media to Hooks.
// When Hooks is a Player it serves readers too (DESCRIBE, SETUP, PLAY):
// one ServerStream per stream, shared by its readers. Set the fields, then call Serve once;
// Close may be called from any goroutine.
type Server struct {
	Hooks  Hooks        // required
	Logger *slog.Logger // default slog.Default()

	// ReadTimeout closes a session that sends nothing for this long.
	// Default 10 s.
	ReadTimeout time.Duration

	// DisableUDP serves RTP over TCP only. Otherwise Serve opens a free
	// RTP/RTCP port pair on the listener's address for publishers that
	// SETUP with UDP.
	DisableUDP bool

	// TLSConfig, when set, serves RTSPS: every connection is TLS
	// (gortsplib's handshake), and RTP travels interleaved in it: no UDP
	// port pair is opened, since RTP over plain UDP would leave the TLS
	// session's media in the clear.
	TLSConfig *tls.Config

	mu     sync.Mutex
	lib    *gortsplib.Server // guarded by mu
	closed bool              // guarded by mu
}

const defaultReadTimeout = 10 * time.Second

// Serve accepts connections on ln until Close is called, then returns
// ErrServerClosed. It closes ln when it returns. If UDP is wanted but no
// port pair can be opened, it logs why and serves TCP only.
func (s *Server) Serve(ln net.Listener) error {
	proto := "rtsp"
	if s.TLSConfig != nil {
		proto = "rtsps"
	}
	log := s.logger().With("proto", proto)
	timeout := s.ReadTimeout
	if timeout <= 0 {
		timeout = defaultReadTimeout
	}
	h := &handler{hooks: s.Hooks, log: log}
	if p, ok := s.Hooks.(Player); ok {
		h.streams = &sharedStreams{player: p, log: log}
	}
	lib := &gortsplib.Server{
		Handler:      h,
		RTSPAddress:  ln.Addr().String(),
		TLSConfig:    s.TLSConfig,
		ReadTimeout:  timeout,
		WriteTimeout: timeout,
		// Basic only: a publisher's password is checked by the stream's
		// policy (hashed) or an auth backend, neither of which can check
		// a digest. Over rtsps it travels encrypted.
		AuthMethods: []auth.VerifyMethod{auth.VerifyMethodBasic},
		Listen: func(string, string) (net.Listener, error) {
			return newRetryListener(ln), nil
		},
	}
	var udp *udpPair
	if !s.DisableUDP && s.TLSConfig == nil {
		udp = s.openUDP(ln.Addr(), log)
	}
	if udp != nil {
		lib.UDPRTPAddress, lib.UDPRTCPAddress = udp.rtp.LocalAddr().String(), udp.rtcp.LocalAddr().String()
		lib.ListenPacket = udp.listenPacket
	}
	closeAll := func() {
		_ = ln.Close()
		if udp != nil {
			udp.close()
		}
	}

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		closeAll()
		return ErrServerClosed
	}
	if h.streams != nil {
		h.streams.setServer(lib)
	}
	if err := lib.Start(); err != nil {
		s.mu.Unlock()
		closeAll()
		return fmt.Errorf("rtsp: %w", err)
	}
	s.lib = lib
	s.mu.Unlock()

	err := lib.Wait()
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return ErrServerClosed
	}
	if err == nil {
		err = net.ErrClosed
	}
	return fmt.Errorf("rtsp: listener closed: %w", err)
}

// openUDP opens the RTP/RTCP pair next to the TCP listener, or logs why it
// cannot and returns nil.
func (s *Server) openUDP(addr net.Addr, log *slog.Logger) *udpPair {
	host, err := hostOf(addr)
	if err == nil {
		var udp *udpPair
		if udp, err = listenUDPPair(host); err == nil {
			log.Debug("rtsp: RTP over UDP", slog.String("rtp", udp.rtp.LocalAddr().String()))
			return udp
		}
	}
	log.Warn("rtsp: serving RTP over TCP only", slog.Any("err", err))
	return nil
}

// Close stops accepting and closes every session; their publications end
// through their release funcs. It waits for the sessions to finish.
func (s *Server) Close() {
	s.mu.Lock()
	s.closed = true
	lib := s.lib
	s.mu.Unlock()
	if lib != nil {
		lib.Close()
	}
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// retryListener keeps a failed Accept (too many open files) from ending
// gortsplib's server, which gives up at the first error: it sleeps and
// retries, as net/http does, and fails once the listener is closed.
type retryListener struct {
	net.Listener
	once   sync.Once
	closed chan struct{}
}

func newRetryListener(ln net.Listener) *retryListener {
	return &retryListener{Listener: ln, closed: make(chan struct{})}
}

func (l *retryListener) Accept() (net.Conn, error) {
	var delay time.Duration
	for {
		nc, err := l.Listener.Accept()
		if err == nil || errors.Is(err, net.ErrClosed) {
			return nc, err
		}
		delay = min(max(2*delay, 5*time.Millisecond), time.Second)
		select {
		case <-l.closed:
			return nil, err
		case <-time.After(delay):
		}
	}
}

func (l *retryListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return l.Listener.Close()
}
