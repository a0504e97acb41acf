package config

import (
	"fmt"
	"maps"
	"strconv"
)

// globalDirectives are the top-level directives of a config file: these
// and the protection directives (directives_protection.go).
var globalDirectives = merged(merged(merged(coreGlobalDirectives, protectionDirectives), onDemandDirective), vodGlobal)

// merged returns one table holding the entries of both.
func merged[T any](a, b map[string]handler[T]) map[string]handler[T] {
	m := make(map[string]handler[T], len(a)+len(b))
	maps.Copy(m, a)
	maps.Copy(m, b)
	return m
}

var coreGlobalDirectives = map[string]handler[*Server]{
	"http":        listenerDirective(func(l *Listeners) *[]Listen { return &l.HTTP }),
	"https":       listenerDirective(func(l *Listeners) *[]Listen { return &l.HTTPS }),
	"rtmp":        listenerDirective(func(l *Listeners) *[]Listen { return &l.RTMP }),
	"rtmps":       listenerDirective(func(l *Listeners) *[]Listen { return &l.RTMPS }),
	"rtsp":        listenerDirective(func(l *Listeners) *[]Listen { return &l.RTSP }),
	"rtsps":       listenerDirective(func(l *Listeners) *[]Listen { return &l.RTSPS }),
	"srt":         parseSRT,
	"srt_publish": globalSRTBlock("srt_publish", func(s *Server) **SRTConfig { return &s.SRTPublish }),
	"srt_play":    globalSRTBlock("srt_play", func(s *Server) **SRTConfig { return &s.SRTPlay }),
	"edit_auth":   func(p *parser, s *stmt, srv *Server) { srv.EditAuth = p.credentials(s, srv, "/edit_auth") },
	"view_auth":   func(p *parser, s *stmt, srv *Server) { srv.ViewAuth = p.credentials(s, srv, "/view_auth") },
	"cluster_key": func(p *parser, s *stmt, srv *Server) { p.stringArg(s, &srv.ClusterKey, "a key") },
	"loglevel": func(p *parser, s *stmt, srv *Server) {
		srv.pos["/loglevel"] = s.name.pos
		p.stringArg(s, &srv.Loglevel, "a log level")
	},
	"peer":         parsePeer,
	"source":       parseSource,
	"cluster_etcd": parseClusterEtcd,
	"dvr":          parseDVR,
	"template":     parseTemplate,
	"stream":       parseStream,
}

// listenerDirective handles `http 8080;`, `http 127.0.0.1:18080;`; each
// may repeat. A TLS listener takes its certificate as options,
// `https 443 certificate=PATH certificate_key=PATH ssl_protocols=tlsv1.2,tlsv1.3;`:
// one line per listener, as the API's listen_ssl_config is per listener,
// under the API's field names. Without them the certificate is the one
// Flussonic looks for next to the config file. Validate refuses the
// options on a listener that does not speak TLS.
func listenerDirective(list func(*Listeners) *[]Listen) handler[*Server] {
	return func(p *parser, s *stmt, srv *Server) {
		if !p.nargs(s, 1, -1, "PORT or ADDR:PORT") {
			return
		}
		spec, ok := p.listenSpec(s.args[0])
		if !ok {
			return
		}
		if srv.Listeners == nil {
			srv.Listeners = &Listeners{}
		}
		l := list(srv.Listeners)
		ptr := "/listeners/" + s.name.text + "/" + strconv.Itoa(len(*l))
		srv.pos[ptr] = s.args[0].pos
		ln := spec.Listen()
		for i, o := range s.args[1:] {
			if !o.option {
				// Likely a missing ';' before the next line.
				p.tooMany(s, i+1)
				break
			}
			p.listenOption(o, &ln, srv, ptr)
		}
		*l = append(*l, ln)
	}
}

// listenOption reads one option of a listener: its certificate files and
// TLS versions.
func (p *parser) listenOption(o token, ln *Listen, srv *Server, ptr string) {
	srv.pos[ptr+"/"+o.key] = o.pos
	switch o.key {
	case "certificate":
		ln.Certificate = o.val
	case "certificate_key":
		ln.CertificateKey = o.val
	case "ssl_protocols":
		for _, it := range splitItems(o) {
			srv.pos[ptr+"/ssl_protocols/"+strconv.Itoa(len(ln.SSLProtocols))] = it.pos
			ln.SSLProtocols = append(ln.SSLProtocols, it.text)
		}
	default:
		p.errorf(o.pos, "unknown listener option %s; want certificate, certificate_key or ssl_protocols", o.key)
	}
}

func (p *parser) listenSpec(a token) (ListenSpec, bool) {
	spec, err := ParseListenSpec(a.text)
	if err != nil {
		p.errorf(a.pos, "%v", err)
		return ListenSpec{}, false
	}
	return spec, true
}

func parseSRT(p *parser, s *stmt, srv *Server) {
	if !p.nargs(s, 1, 1, "PORT or ADDR:PORT") {
		return
	}
	if spec, ok := p.listenSpec(s.args[0]); ok {
		srv.pos["/srt"] = s.args[0].pos
		srv.SRT = &spec
	}
}

func (p *parser) credentials(s *stmt, srv *Server, ptr string) *Credentials {
	if !p.nargs(s, 2, 2, "LOGIN PASSWORD") {
		return nil
	}
	srv.pos[ptr] = s.name.pos
	return &Credentials{Login: s.args[0].text, Password: s.args[1].text}
}

// parsePeer handles `peer HOST[:PORT];` and `peer HOST { api_url URL; ... }`
// with peer_config's options.
func parsePeer(p *parser, s *stmt, srv *Server) {
	if len(s.args) != 1 {
		p.wrongArgs(s, 1, "a hostname")
		return
	}
	peer := Peer{Hostname: s.args[0].text}
	ptr := fmt.Sprintf("/peers/%d", len(srv.Peers))
	for _, b := range s.block {
		srv.pos[ptr+"/"+b.name.text] = b.name.pos
		if !p.peerOption(b, &peer) && !p.keepRaw(b, &peer) {
			p.unknown(b.name, peerOptions)
		}
	}
	srv.pos[ptr] = s.name.pos
	srv.Peers = append(srv.Peers, peer)
}

var peerOptions = []string{
	"api_url", "cluster_key", "public_payload_url", "private_payload_url",
	"fetch_timeout", "stale_timeout", "cpu_limit", "channel_limit",
}

// peerOption reads one option of the model's peer_config; false for others.
func (p *parser) peerOption(b *stmt, peer *Peer) bool {
	switch b.name.text {
	case "api_url":
		p.stringArg(b, &peer.APIURL, "a URL")
	case "cluster_key":
		p.stringArg(b, &peer.ClusterKey, "a key")
	case "public_payload_url":
		p.stringArg(b, &peer.PublicPayloadURL, "a URL")
	case "private_payload_url":
		p.stringArg(b, &peer.PrivatePayloadURL, "a URL")
	case "fetch_timeout":
		p.intArg(b, &peer.FetchTimeout, "milliseconds")
	case "stale_timeout":
		p.intArg(b, &peer.StaleTimeout, "milliseconds")
	case "cpu_limit":
		p.intArg(b, &peer.CPULimit, "a percentage")
	case "channel_limit":
		p.intArg(b, &peer.ChannelLimit, "a number of streams")
	default:
		return false
	}
	return true
}

// parseClusterEtcd handles `cluster_etcd URL [URL ...];`: membership from
// etcd at these endpoints (ours; Flussonic's cluster has no etcd).
func parseClusterEtcd(p *parser, s *stmt, srv *Server) {
	if !p.nargs(s, 1, -1, "etcd endpoint URLs") {
		return
	}
	srv.pos["/cluster_etcd"] = s.name.pos
	for _, a := range s.args {
		srv.ClusterEtcd = append(srv.ClusterEtcd, a.text)
	}
}

// wrongArgs reports that a block directive wants exactly n arguments.
func (p *parser) wrongArgs(s *stmt, n int, what string) {
	if len(s.args) < n {
		p.errorf(s.last().end, "expected %s after %s", what, s.describe())
		return
	}
	p.tooMany(s, n)
}

// stringArg reads the one argument of s into dst.
func (p *parser) stringArg(s *stmt, dst *string, what string) {
	if p.nargs(s, 1, 1, what) {
		*dst = s.args[0].text
	}
}

// intArg reads the one integer argument of s into dst.
func (p *parser) intArg(s *stmt, dst *int, what string) {
	if !p.nargs(s, 1, 1, what) {
		return
	}
	n, err := parseInt(s.args[0].text)
	if err != nil {
		p.errorf(s.args[0].pos, "%v: expected %s", err, what)
		return
	}
	*dst = n
}

// parseSource handles `source HOST[:PORT] { only NAME...; except NAME...;
// cluster_key K; }`.
func parseSource(p *parser, s *stmt, srv *Server) {
	if len(s.args) != 1 {
		p.wrongArgs(s, 1, "a HOST[:PORT]")
		return
	}
	src := Source{URL: s.args[0].text}
	for _, b := range s.block {
		switch b.name.text {
		case "only":
			src.Only = append(src.Only, argTexts(b)...)
		case "except":
			src.Except = append(src.Except, argTexts(b)...)
		case "cluster_key":
			p.stringArg(b, &src.ClusterKey, "a key")
		default:
			if !p.keepRaw(b, &src) {
				p.unknown(b.name, []string{"only", "except", "cluster_key"})
			}
		}
	}
	srv.pos[fmt.Sprintf("/sources/%d", len(srv.Sources))] = s.name.pos
	srv.Sources = append(srv.Sources, src)
}

// argTexts returns a directive's arguments as text.
func argTexts(s *stmt) []string {
	out := make([]string, len(s.args))
	for i, a := range s.args {
		out[i] = a.text
	}
	return out
}
