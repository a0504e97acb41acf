package config

import (
	"strconv"
	"strings"
)

// RawDirective is a directive the model has no field for, kept as the
// operator wrote it: a documented directive that nothing acts on yet
// (inactive in the grammar table), or a protection not built (refused).
// It prints back verbatim and travels through the API as its text.
type RawDirective struct {
	Name string `json:"name"`
	Text string `json:"text"` // the whole statement, name to ';' or '}'

	pos position // where the parser read it; zero when it came from JSON
}

// rawHolder is a level of the file that keeps raw directives: the server,
// a stream or template, a named dvr, a peer.
type rawHolder interface {
	rawLevel() string // the grammar table's key prefix: "", "stream ", ...
	rawList() *[]RawDirective
}

func (s *Server) rawLevel() string           { return "" }
func (s *Server) rawList() *[]RawDirective   { return &s.Raw }
func (s *Stream) rawLevel() string           { return "stream " }
func (s *Stream) rawList() *[]RawDirective   { return &s.Raw }
func (t *Template) rawLevel() string         { return "stream " }
func (t *Template) rawList() *[]RawDirective { return &t.Raw }
func (d *DVR) rawLevel() string              { return "dvr " }
func (d *DVR) rawList() *[]RawDirective      { return &d.Raw }
func (p *Peer) rawLevel() string             { return "peer " }
func (p *Peer) rawList() *[]RawDirective     { return &p.Raw }

// keepRaw keeps s in h when the grammar table lists it as inactive or
// refused at h's level; false when the table does not know it.
func (p *parser) keepRaw(s *stmt, h rawHolder) bool {
	e, ok := grammar[h.rawLevel()+s.name.text]
	if !ok || e.state == works {
		return false
	}
	l := h.rawList()
	*l = append(*l, RawDirective{Name: s.name.text, Text: s.text(p.lex.src), pos: s.name.pos})
	return true
}

// raw writes kept directives back as they were written.
func (w *printer) raw(list []RawDirective) {
	for _, r := range list {
		w.buf.WriteString(strings.Repeat("  ", w.indent))
		w.buf.WriteString(r.Text)
		w.buf.WriteByte('\n')
	}
}

// rawDirectives checks the raw directives of one level: each must be one
// statement named Name, known to the table at that level and not one it
// acts on, so that an API write cannot slip other directives into the
// file through a raw text. Refused ones are refused here.
func (v *validator) rawDirectives(level, ptr string, list []RawDirective) {
	for i, r := range list {
		rp := ptr + "/raw_directives/" + strconv.Itoa(i)
		e, ok := grammar[level+r.Name]
		switch {
		case !ok || e.state == works:
			v.add(r.pos, rp+"/name", "%s is not a directive kept as text here", quoteIfNeeded(level+r.Name))
			continue
		case !oneStatement(r):
			v.add(r.pos, rp+"/text", "raw directive %s: text must be exactly one statement named %s", quoteIfNeeded(r.Name), quoteIfNeeded(r.Name))
			continue
		}
		if e.state == refused {
			v.need(level+r.Name, r.pos, rp)
		}
	}
}

// oneStatement reports whether r's text is exactly one statement named
// r.Name and nothing more.
func oneStatement(r RawDirective) bool {
	var errs ErrorList
	src := []byte(r.Text)
	p := &parser{lex: newLexer("", src, &errs), errs: &errs}
	stmts := p.block(nil)
	return len(errs) == 0 && len(stmts) == 1 && stmts[0].name.text == r.Name && stmts[0].text(src) == r.Text
}

// allRaw checks the raw directives of every level.
func (v *validator) allRaw() {
	s := v.s
	v.rawDirectives("", "", s.Raw)
	for i := range s.Peers {
		v.rawDirectives("peer ", "/peers/"+strconv.Itoa(i), s.Peers[i].Raw)
	}
	for i := range s.Sources {
		v.rawDirectives("source ", "/sources/"+strconv.Itoa(i), s.Sources[i].Raw)
	}
	for i := range s.DVRs {
		v.rawDirectives("dvr ", "/dvrs/"+strconv.Itoa(i), s.DVRs[i].Raw)
	}
	for i := range s.VODs {
		v.rawDirectives("vod ", "/vods/"+strconv.Itoa(i), s.VODs[i].Raw)
	}
	for i := range s.Templates {
		v.rawDirectives("stream ", "/templates/"+strconv.Itoa(i), s.Templates[i].Raw)
	}
	for i := range s.Streams {
		v.rawDirectives("stream ", "/streams/"+strconv.Itoa(i), s.Streams[i].Raw)
	}
}
