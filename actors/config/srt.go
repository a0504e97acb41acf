package config

import "strconv"

// The SRT ports: the global `srt PORT;` (publish and play, routed by the
// streamid), `srt_publish { ... }` (publish only) and `srt_play { ... }`
// (play only, routed by the streamid's r=), and a stream's own `srt PORT;`
// and `srt_play { ... }` (play only: every caller plays the stream).

// parseSRTBlock reads `NAME { port P; passphrase X; latency N; }` or the
// short form `NAME P;` into c. at records where the port and latency
// were read, for Validate's messages (nil: not recorded).
func parseSRTBlock(p *parser, s *stmt, c *SRTConfig, at func(field string, pos position)) {
	if at == nil {
		at = func(string, position) {}
	}
	switch {
	case len(s.args) > 1:
		p.tooMany(s, 1)
	case len(s.args) == 1:
		if spec, ok := p.listenSpec(s.args[0]); ok {
			at("port", s.args[0].pos)
			c.Port = &spec
		}
	}
	for _, b := range s.block {
		switch b.name.text {
		case "port":
			if p.nargs(b, 1, 1, "PORT or ADDR:PORT") {
				if spec, ok := p.listenSpec(b.args[0]); ok {
					at("port", b.args[0].pos)
					c.Port = &spec
				}
			}
		case "passphrase":
			at("passphrase", b.name.pos)
			p.stringArg(b, &c.Passphrase, "a passphrase")
		case "latency":
			at("latency", b.name.pos)
			p.intArg(b, &c.Latency, "milliseconds")
		default:
			p.unknown(b.name, []string{"port", "passphrase", "latency"})
		}
	}
}

// globalSRTBlock is the handler of a global SRT block directive.
func globalSRTBlock(name string, field func(*Server) **SRTConfig) handler[*Server] {
	return func(p *parser, s *stmt, srv *Server) {
		c := &SRTConfig{}
		*field(srv) = c
		parseSRTBlock(p, s, c, func(f string, pos position) { srv.pos["/"+name+"/"+f] = pos })
	}
}

// printSRTBlock writes c as `name { ... }`.
func (w *printer) srtBlock(name string, c *SRTConfig) {
	w.open(name)
	if c.Port != nil {
		w.line("port", quoteIfNeeded(c.Port.String()))
	}
	if c.Passphrase != "" {
		w.line("passphrase", quoteIfNeeded(c.Passphrase))
	}
	if c.Latency != 0 {
		w.line("latency", strconv.Itoa(c.Latency))
	}
	w.close()
}

func (c *SRTConfig) clone() *SRTConfig {
	if c == nil {
		return nil
	}
	d := *c
	d.Port = clonePtr(c.Port)
	return &d
}

func (c *SRTConfig) equal(o *SRTConfig) bool {
	if c == nil || o == nil {
		return c == o
	}
	return ptrEqual(c.Port, o.Port) && c.Passphrase == o.Passphrase && c.Latency == o.Latency
}

// Passphrase lengths libsrt (and Flussonic) accept.
const (
	minPassphrase = 10
	maxPassphrase = 79
)

// srtBlock checks one SRT block: a passphrase SRT cannot use would leave
// the port open or broken, so it is refused.
func (v *validator) srtBlock(p position, ptr string, c *SRTConfig) {
	if c.Port != nil {
		v.port(ptr+"/port", c.Port.Port)
	}
	if c.Latency < 0 {
		v.add(p, ptr+"/latency", "latency %d is negative", c.Latency)
	}
	if n := len(c.Passphrase); n != 0 && (n < minPassphrase || n > maxPassphrase) {
		v.add(p, ptr+"/passphrase", "passphrase of %d characters: SRT takes %d to %d", n, minPassphrase, maxPassphrase)
	}
}

// srtPort is one SRT port the configuration opens and who asked for it.
type srtPort struct {
	spec ListenSpec
	pos  position
	ptr  string
}

// srtPorts checks the SRT blocks and that no two SRT listeners ask for
// one port (the global `srt` and `srt_publish` may share theirs: it is
// then one listener). A srt_play in a template is refused: its port would
// be every stream's.
func (v *validator) srtPorts() {
	s := v.s
	var ports []srtPort
	add := func(spec *ListenSpec, pos position, ptr string) {
		if spec != nil && spec.Port != 0 {
			ports = append(ports, srtPort{*spec, pos, ptr})
		}
	}
	if s.SRTPublish != nil {
		v.srtBlock(position{}, "/srt_publish", s.SRTPublish)
		add(s.SRTPublish.Port, position{}, "/srt_publish/port")
	}
	if s.SRT != nil && (s.SRTPublish == nil || !ptrEqual(s.SRT, s.SRTPublish.Port)) {
		add(s.SRT, position{}, "/srt")
	}
	if s.SRTPlay != nil {
		v.srtBlock(position{}, "/srt_play", s.SRTPlay)
		add(s.SRTPlay.Port, position{}, "/srt_play/port")
	}
	for i := range s.Templates {
		if t := &s.Templates[i]; t.SRTPlay != nil {
			v.add(t.pos, "/templates/"+strconv.Itoa(i)+"/srt_play", "srt_play belongs in a stream: its port plays one stream")
		}
	}
	for i := range s.Streams {
		st := &s.Streams[i]
		ptr := "/streams/" + strconv.Itoa(i)
		add(st.SRT, st.pos, ptr+"/srt")
		if st.SRTPlay != nil {
			v.srtBlock(st.pos, ptr+"/srt_play", st.SRTPlay)
			add(st.SRTPlay.Port, st.pos, ptr+"/srt_play/port")
		}
	}
	v.srtClashes(ports)
}

// srtClashes refuses two SRT listeners on one port (the same address, or
// either on every address).
func (v *validator) srtClashes(ports []srtPort) {
	for i, a := range ports {
		for _, b := range ports[:i] {
			if a.spec.Port == b.spec.Port && (a.spec.Address == b.spec.Address || a.spec.Address == "" || b.spec.Address == "") {
				v.add(a.pos, a.ptr, "srt port %s is taken by %s", a.spec.String(), b.ptr)
				break
			}
		}
	}
}
