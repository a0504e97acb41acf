package config

import (
	"bytes"
	"strconv"
	"strings"
)

// Print writes s as canonical config text: one directive per line, blocks
// indented by two spaces, the file's units (seconds for segment_duration,
// 7d-style durations where exact, 10G sizes, 4000k bitrates). Parse of the
// result gives back s, except what the file cannot hold: stream
// positions and a Protocols that is all default (printed as nothing).
// Print does not validate.
func Print(s *Server) []byte {
	w := &printer{}
	w.global(s)
	for i := range s.AuthBackends {
		w.authBackend(&s.AuthBackends[i])
	}
	for i := range s.EventSinks {
		w.eventSink(&s.EventSinks[i])
	}
	for i := range s.DVRs {
		w.dvr(&s.DVRs[i])
	}
	for i := range s.VODs {
		w.vod(&s.VODs[i])
	}
	for i := range s.Templates {
		w.template(&s.Templates[i])
	}
	for i := range s.Streams {
		w.stream(&s.Streams[i])
	}
	if len(s.Raw) > 0 {
		w.blank()
		w.raw(s.Raw)
	}
	return w.buf.Bytes()
}

type printer struct {
	buf    bytes.Buffer
	indent int
}

// line writes one statement.
func (w *printer) line(words ...string) {
	w.words(words)
	w.buf.WriteString(";\n")
}

// open starts a block; close ends it.
func (w *printer) open(words ...string) {
	w.words(words)
	w.buf.WriteString(" {\n")
	w.indent++
}

func (w *printer) close() {
	w.indent--
	w.buf.WriteString(strings.Repeat("  ", w.indent))
	w.buf.WriteString("}\n")
}

func (w *printer) words(words []string) {
	w.buf.WriteString(strings.Repeat("  ", w.indent))
	w.buf.WriteString(strings.Join(words, " "))
}

// blank separates top-level sections.
func (w *printer) blank() {
	if w.buf.Len() > 0 {
		w.buf.WriteByte('\n')
	}
}

func (w *printer) global(s *Server) {
	for _, g := range s.Listeners.groups() {
		for _, ln := range g.list {
			w.line(listenWords(g.name, ln)...)
		}
	}
	if s.SRT != nil {
		w.line("srt", quoteIfNeeded(s.SRT.String()))
	}
	if c := s.SRTPublish; c != nil {
		w.srtBlock("srt_publish", c)
	}
	if c := s.SRTPlay; c != nil {
		w.srtBlock("srt_play", c)
	}
	if s.Loglevel != "" {
		w.line("loglevel", quoteIfNeeded(s.Loglevel))
	}
	if a := s.EditAuth; a != nil {
		w.line("edit_auth", quoteIfNeeded(a.Login), quoteIfNeeded(a.Password))
	}
	if a := s.ViewAuth; a != nil {
		w.line("view_auth", quoteIfNeeded(a.Login), quoteIfNeeded(a.Password))
	}
	if s.ClusterKey != "" {
		w.line("cluster_key", quoteIfNeeded(s.ClusterKey))
	}
	for _, p := range s.Peers {
		w.peer(p)
	}
	for _, src := range s.Sources {
		w.source(src)
	}
	if len(s.ClusterEtcd) > 0 {
		w.line(append([]string{"cluster_etcd"}, quoteEach(s.ClusterEtcd)...)...)
	}
	w.protection(s)
}

// isBare: a peer with no options prints as one line.
func (p Peer) isBare() bool {
	return p.APIURL == "" && p.ClusterKey == "" && p.PublicPayloadURL == "" &&
		p.PrivatePayloadURL == "" && p.FetchTimeout == 0 && p.StaleTimeout == 0 &&
		p.CPULimit == 0 && p.ChannelLimit == 0 && len(p.Raw) == 0
}

func (w *printer) peer(p Peer) {
	if p.isBare() {
		w.line("peer", quoteIfNeeded(p.Hostname))
		return
	}
	w.open("peer", quoteIfNeeded(p.Hostname))
	for _, o := range [...]struct{ name, val string }{
		{"api_url", p.APIURL},
		{"cluster_key", p.ClusterKey},
		{"public_payload_url", p.PublicPayloadURL},
		{"private_payload_url", p.PrivatePayloadURL},
	} {
		if o.val != "" {
			w.line(o.name, quoteIfNeeded(o.val))
		}
	}
	if p.FetchTimeout != 0 {
		w.line("fetch_timeout", strconv.Itoa(p.FetchTimeout))
	}
	for _, o := range [...]struct {
		name string
		val  int
	}{
		{"stale_timeout", p.StaleTimeout}, {"cpu_limit", p.CPULimit}, {"channel_limit", p.ChannelLimit},
	} {
		if o.val != 0 {
			w.line(o.name, strconv.Itoa(o.val))
		}
	}
	w.raw(p.Raw)
	w.close()
}

func (w *printer) template(t *Template) {
	w.blank()
	w.open("template", quoteIfNeeded(t.Name))
	if len(t.Prefixes) > 0 {
		w.line(append([]string{"prefix"}, quoteEach(t.Prefixes)...)...)
	}
	w.media(&t.MediaOptions)
	w.close()
}

func (w *printer) stream(s *Stream) {
	w.blank()
	if words := onDemandWords(s); words != nil {
		w.line(words...)
		return
	}
	w.open("stream", quoteIfNeeded(s.Name))
	if s.Title != "" {
		w.line("title", quoteIfNeeded(s.Title))
	}
	if s.Comment != "" {
		w.line("comment", quoteIfNeeded(s.Comment))
	}
	if s.Template != "" {
		w.line("template", quoteIfNeeded(s.Template))
	}
	w.media(&s.MediaOptions)
	w.close()
}

func quoteEach(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = quoteIfNeeded(x)
	}
	return out
}

// opt writes key=value, the value quoted when it must be.
func opt(key, val string) string { return key + "=" + quoteIfNeeded(val) }

func (w *printer) source(s Source) {
	w.open("source", quoteIfNeeded(s.URL))
	if len(s.Only) > 0 {
		w.line(append([]string{"only"}, quoteEach(s.Only)...)...)
	}
	if len(s.Except) > 0 {
		w.line(append([]string{"except"}, quoteEach(s.Except)...)...)
	}
	if s.ClusterKey != "" {
		w.line("cluster_key", quoteIfNeeded(s.ClusterKey))
	}
	w.raw(s.Raw)
	w.close()
}
