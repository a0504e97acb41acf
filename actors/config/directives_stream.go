package config

import (
	"strings"
)

// mediaDirectives are the directives a stream and a template share.
var mediaDirectives = map[string]handler[*MediaOptions]{
	"input":          parseInput,
	"url":            parseInput,
	"source_timeout": parseSourceTimeout,
	"return_after":   parseReturnAfter,
	"error_threshold": func(p *parser, s *stmt, m *MediaOptions) {
		p.intArg(s, &m.ErrorThreshold, "a number of errors")
	},
	"transcoder":       parseTranscoder,
	"dvr":              parseStreamDVR,
	"push":             parsePush,
	"protocols":        parseProtocols,
	"thumbnails":       parseThumbnails,
	"cluster_ingest":   parseClusterIngest,
	"drm":              parseDRM,
	"segment_duration": parseSegmentDuration,
	"segment_count": func(p *parser, s *stmt, m *MediaOptions) {
		p.intArg(s, &m.SegmentCount, "a number of segments")
	},
	"chunk_duration": func(p *parser, s *stmt, m *MediaOptions) {
		p.intArg(s, &m.ChunkDuration, "milliseconds")
	},
	"on_play":    func(p *parser, s *stmt, m *MediaOptions) { p.authSpec(s, &m.OnPlay) },
	"auth":       func(p *parser, s *stmt, m *MediaOptions) { p.authSpec(s, &m.OnPlay) },
	"on_publish": func(p *parser, s *stmt, m *MediaOptions) { p.authSpec(s, &m.OnPublish) },
	// on_play's options as directives of their own (directives_auth.go).
	"domains":              authDirective("domains"),
	"allowed_countries":    authDirective("allowed_countries"),
	"disallowed_countries": authDirective("disallowed_countries"),
	"max_sessions":         authDirective("max_sessions"),
	"soft_limitation":      authDirective("soft_limitation"),
	"session_keys":         authDirective("session_keys"),
	"static": func(p *parser, s *stmt, m *MediaOptions) {
		v := true
		p.flag(s, &v)
		m.Static = &v
	},
	"disabled": func(p *parser, s *stmt, m *MediaOptions) { p.flag(s, &m.Disabled) },
	"password": func(p *parser, s *stmt, m *MediaOptions) {
		m.passwordPos = s.name.pos
		p.stringArg(s, &m.Password, "a password")
	},
	"srt": func(p *parser, s *stmt, m *MediaOptions) {
		if p.nargs(s, 1, 1, "PORT or ADDR:PORT") {
			if spec, ok := p.listenSpec(s.args[0]); ok {
				m.SRT = &spec
			}
		}
	},
	"srt_play": func(p *parser, s *stmt, m *MediaOptions) {
		m.SRTPlay = &SRTConfig{}
		parseSRTBlock(p, s, m.SRTPlay, nil)
	},
}

// streamDirectives are a stream's: the media ones and its own.
var streamDirectives = withMedia(map[string]handler[*Stream]{
	"title":    func(p *parser, s *stmt, st *Stream) { p.stringArg(s, &st.Title, "a title") },
	"comment":  func(p *parser, s *stmt, st *Stream) { p.stringArg(s, &st.Comment, "a comment") },
	"template": func(p *parser, s *stmt, st *Stream) { p.stringArg(s, &st.Template, "a template name") },
}, func(st *Stream) *MediaOptions { return &st.MediaOptions })

// templateDirectives are a template's: the media ones and prefix.
var templateDirectives = withMedia(map[string]handler[*Template]{
	"prefix": func(p *parser, s *stmt, t *Template) {
		if p.nargs(s, 1, -1, "a prefix") {
			for _, a := range s.args {
				t.Prefixes = append(t.Prefixes, a.text)
			}
		}
	},
}, func(t *Template) *MediaOptions { return &t.MediaOptions })

func withMedia[T any](own map[string]handler[T], media func(T) *MediaOptions) map[string]handler[T] {
	for name, h := range mediaDirectives {
		own[name] = func(p *parser, s *stmt, t T) { h(p, s, media(t)) }
	}
	return own
}

// parseStream handles `stream NAME { ... }`, `stream NAME;` and the
// short form `stream NAME URL [OPTIONS];` (its one input, the same as
// `input URL OPTIONS;` first in a block; a block may follow). Print
// writes the block form.
func parseStream(p *parser, s *stmt, srv *Server) {
	if len(s.args) != 1 && !shortForm(s) {
		p.wrongArgs(s, 1, "a stream name")
		return
	}
	st := Stream{Name: s.args[0].text, pos: s.name.pos}
	if len(s.args) > 1 {
		in := &stmt{name: s.name, args: s.args[1:]}
		in.name.text = "input"
		parseInput(p, in, &st.MediaOptions)
	}
	dispatch(p, s.block, streamDirectives, &st)
	srv.Streams = append(srv.Streams, st)
}

// shortForm reports whether s is `stream NAME URL ...;`: a URL on the
// name's line. A word on a later line is more likely a missing ';', and
// is reported as that.
func shortForm(s *stmt) bool {
	if len(s.args) < 2 {
		return false
	}
	u := s.args[1]
	return !u.option && u.pos.line == s.args[0].pos.line && strings.Contains(u.text, "://")
}

// parseTemplate handles `template NAME { prefix P; ... }`.
func parseTemplate(p *parser, s *stmt, srv *Server) {
	if len(s.args) != 1 {
		p.wrongArgs(s, 1, "a template name")
		return
	}
	t := Template{Name: s.args[0].text, pos: s.name.pos}
	dispatch(p, s.block, templateDirectives, &t)
	srv.Templates = append(srv.Templates, t)
}

// flag handles a bare flag (`static;`) or one with a value (`static false;`).
func (p *parser) flag(s *stmt, dst *bool) {
	if len(s.args) == 0 {
		p.noBlock(s)
		*dst = true
		return
	}
	if !p.nargs(s, 0, 1, "true or false") {
		return
	}
	switch s.args[0].text {
	case "true":
		*dst = true
	case "false":
		*dst = false
	default:
		p.errorf(s.args[0].pos, "expected true or false, got %s", s.args[0].describe())
	}
}

func parseSourceTimeout(p *parser, s *stmt, m *MediaOptions) {
	if p.nargs(s, 1, 1, "seconds or false") {
		m.SourceTimeout = p.timeout(s.args[0], s.args[0].text)
	}
}

func parseReturnAfter(p *parser, s *stmt, m *MediaOptions) {
	if p.nargs(s, 1, 1, "seconds or false") {
		m.ReturnAfter = p.timeoutNamed(s.args[0], s.args[0].text, "return_after")
	}
}

// timeout reads a source_timeout: a duration or false.
func (p *parser) timeout(at token, text string) *Timeout {
	return p.timeoutNamed(at, text, "source_timeout")
}

// timeoutNamed reads the setting name: a duration or false.
func (p *parser) timeoutNamed(at token, text, name string) *Timeout {
	if text == "false" {
		return &Timeout{Disabled: true}
	}
	n, err := ParseDuration(text)
	if err != nil {
		p.errorf(at.valPos(), "%s: %v: expected seconds or false", name, err)
		return nil
	}
	return &Timeout{Seconds: n}
}

func parseSegmentDuration(p *parser, s *stmt, m *MediaOptions) {
	if !p.nargs(s, 1, 1, "seconds") {
		return
	}
	ms, err := parseSeconds(s.args[0].text)
	if err != nil {
		p.errorf(s.args[0].pos, "segment_duration: %v", err)
		return
	}
	m.SegmentDuration = ms
}

// parseProtocols handles `protocols hls dash;` (only those listed are
// played: the others are set false) and `protocols -dash -rtmp;` (those
// listed are not played, the others keep their default). Both may mix.
func parseProtocols(p *parser, s *stmt, m *MediaOptions) {
	if !p.nargs(s, 1, -1, "protocol names (hls dash ... or -dash ...)") {
		return
	}
	pr := &Protocols{}
	negatives := false
	for _, a := range s.args {
		name, off := strings.CutPrefix(a.text, "-")
		f, ok := protocolByName(name)
		if !ok {
			p.errorf(a.pos, "unknown protocol %q; want one of hls, dash, rtmp, rtsp, tshttp, webrtc, srt, mp4, jpeg", name)
			continue
		}
		v := !off
		*f.get(pr) = &v
		negatives = negatives || off
	}
	if !negatives {
		for _, f := range protocolFields {
			if *f.get(pr) == nil {
				*f.get(pr) = new(bool)
			}
		}
	}
	m.Protocols = pr
	if protocolWords(pr) == nil {
		// Nothing is off (`protocols -hls hls;`): the same as no line, and
		// printed as none.
		m.Protocols = nil
	}
}
