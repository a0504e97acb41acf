package main

import (
	"crypto/tls"
	"fmt"
	"net"

	"streamhive/actors/certs"
	"streamhive/actors/config"
	"streamhive/gateway"
)

// httpPort is one open HTTP listener: `http PORT;`, or `https PORT;` with
// its TLS configuration.
type httpPort struct {
	net.Listener
	tls *tls.Config // nil for http
}

func (p httpPort) scheme() string {
	if p.tls != nil {
		return "https"
	}
	return "http"
}

// serve runs the gateway on the port until it shuts down.
func (p httpPort) serve(gw *gateway.Server) error {
	if p.tls != nil {
		return gw.ServeTLS(p.Listener, p.tls)
	}
	return gw.Serve(p.Listener)
}

// listen opens every configured HTTP and HTTPS listener before anything
// starts, so that a port in use, or an https listener without a usable
// certificate, is reported at once, naming the listener.
func listen(cfg *config.Server, book *certs.Book) ([]httpPort, error) {
	if cfg.Listeners == nil {
		return nil, nil
	}
	var ports []httpPort
	open := func(proto string, l config.Listen, tc *tls.Config) error {
		addr := net.JoinHostPort(l.Address, fmt.Sprint(l.Port))
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("%s listener %s: %w", proto, addr, err)
		}
		ports = append(ports, httpPort{Listener: ln, tls: tc})
		return nil
	}
	for _, l := range cfg.Listeners.HTTP {
		if err := open("http", l, nil); err != nil {
			closeAll(ports)
			return nil, err
		}
	}
	for _, l := range cfg.Listeners.HTTPS {
		tc, err := book.Config("https", l)
		if err == nil {
			err = open("https", l, tc)
		}
		if err != nil {
			closeAll(ports)
			return nil, err
		}
	}
	return ports, nil
}

func closeAll(ports []httpPort) {
	for _, p := range ports {
		_ = p.Close()
	}
}
