package server

import (
	"crypto/tls"
	"fmt"
	"net"
	"strconv"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/certs"
	"streamhive/actors/config"
	"streamhive/actors/listener"
)

// tlsListen is one rtmps or rtsps listener and its TLS configuration.
type tlsListen struct {
	addr string
	tls  *tls.Config
}

// tlsListeners builds the TLS configurations of the configuration's
// `rtmps PORT;` and `rtsps PORT;` listeners from book. A listener whose
// certificate cannot be loaded, or whose ssl_protocols are refused, is an
// error naming it: Start fails before anything listens. Like the plain
// listeners they are opened at Start: a reload does not move them (it
// renews their certificates through book).
func tlsListeners(cfg *config.Server, book *certs.Book) (rtmps, rtsps []tlsListen, err error) {
	if cfg.Listeners == nil {
		return nil, nil, nil
	}
	if rtmps, err = secure(book, "rtmps", cfg.Listeners.RTMPS); err != nil {
		return nil, nil, err
	}
	if rtsps, err = secure(book, "rtsps", cfg.Listeners.RTSPS); err != nil {
		return nil, nil, err
	}
	return rtmps, rtsps, nil
}

func secure(book *certs.Book, proto string, ls []config.Listen) ([]tlsListen, error) {
	out := make([]tlsListen, 0, len(ls))
	for _, l := range ls {
		tc, err := book.Config(proto, l)
		if err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		out = append(out, tlsListen{addr: net.JoinHostPort(l.Address, strconv.Itoa(l.Port)), tls: tc})
	}
	return out, nil
}

// certBook returns opts.Certs, or a Book over the config file's directory
// (the working directory without a file).
func certBook(opts Options) *certs.Book {
	if opts.Certs != nil {
		return opts.Certs
	}
	return certs.BookFor(opts.ConfigPath)
}

// spawnTLS starts one protocol's TLS listener actors (PROTO-I) under the
// root actor; base carries what every listener shares (lookup, listen,
// the publish policies) and each gets its own address.
func spawnTLS(ctx actor.Context, proto string, ls []tlsListen, props func(listener.Config, *tls.Config) *actor.Props,
	base listener.Config,
) ([]*actor.PID, error) {
	return spawnEach(ctx, proto, ls, func(l tlsListen) *actor.Props {
		c := base
		c.Address = l.addr
		return props(c, l.tls)
	})
}

// RTMPSAddrs returns the addresses the RTMPS listeners listen on, in
// configuration order: with port 0 configured, the port the system chose.
func (s *Server) RTMPSAddrs() []net.Addr { return s.rtmpsAddr }

// RTSPSAddrs returns the addresses the RTSPS listeners listen on, in
// configuration order.
func (s *Server) RTSPSAddrs() []net.Addr { return s.rtspsAddr }
