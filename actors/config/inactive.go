package config

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// Notice is one line of a configuration that the server accepts but does
// not act on: the grammar table's inactive state.
type Notice struct {
	File    string
	Line    int // 0 when it came from JSON: Pointer names it then
	Col     int
	Pointer string // JSON pointer of the value
	Key     string // the grammar table's key: vod, stream thumbnails, input via=, ...
	Why     string
}

// String is "file:line:col: KEY is accepted but not active: WHY" (the
// pointer instead of the position for JSON).
func (n Notice) String() string { return n.Where() + ": " + n.What() }

// Where is file:line:col, or the JSON pointer when there is no position.
func (n Notice) Where() string {
	if n.Line > 0 {
		return fmt.Sprintf("%s:%d:%d", n.File, n.Line, n.Col)
	}
	return n.Pointer
}

// What is the directive and why the server does not act on it.
func (n Notice) What() string { return n.Key + " is accepted but not active: " + n.Why }

// Inactive lists every directive and option of s that the server accepts
// but does not act on, in the order of the file: what `streamhive -t`
// warns of, the log says at start and reload, and GET /config shows in
// stats.text_alerts.
func (s *Server) Inactive() []Notice {
	c := noticer{s: s}
	c.raw("", "", s.Raw)
	for i := range s.Peers {
		ptr := "/peers/" + strconv.Itoa(i)
		c.raw("peer ", ptr, s.Peers[i].Raw)
		if s.Peers[i].StaleTimeout != 0 {
			c.add("peer stale_timeout", s.pos[ptr+"/stale_timeout"], ptr+"/stale_timeout")
		}
	}
	for i := range s.Sources {
		c.raw("source ", "/sources/"+strconv.Itoa(i), s.Sources[i].Raw)
	}
	for i := range s.DVRs {
		d := &s.DVRs[i]
		ptr := "/dvrs/" + strconv.Itoa(i)
		c.raw("dvr ", ptr, d.Raw)
		c.kept(ptr, "", &d.DVRKept, d.optPos, d.pos)
	}
	for i := range s.VODs {
		c.raw("vod ", "/vods/"+strconv.Itoa(i), s.VODs[i].Raw)
	}
	for i := range s.EventSinks {
		if e := &s.EventSinks[i]; e.Level != "" {
			c.add("event_sink level", e.at["level"], "/event_sinks/"+strconv.Itoa(i)+"/level")
		}
	}
	for i := range s.Templates {
		c.media("/templates/"+strconv.Itoa(i), &s.Templates[i].MediaOptions)
	}
	for i := range s.Streams {
		c.media("/streams/"+strconv.Itoa(i), &s.Streams[i].MediaOptions)
	}
	slices.SortStableFunc(c.out, func(a, b Notice) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return c.out
}

type noticer struct {
	s   *Server
	out []Notice
}

// add records key at p (or ptr) when the table says it is inactive.
func (c *noticer) add(key string, p position, ptr string) {
	e := grammar[key]
	if e.state != inactive {
		return
	}
	c.out = append(c.out, Notice{File: p.file, Line: p.line, Col: p.col, Pointer: ptr, Key: key, Why: e.why})
}

func (c *noticer) raw(level, ptr string, list []RawDirective) {
	for i, r := range list {
		c.add(level+r.Name, r.pos, ptr+"/raw_directives/"+strconv.Itoa(i))
	}
}

func (c *noticer) media(ptr string, m *MediaOptions) {
	c.raw("stream ", ptr, m.Raw)
	if d := m.DVR; d != nil {
		c.kept(ptr+"/dvr", "=", &d.DVRKept, d.optPos, d.pos)
	}
	for i := range m.Inputs {
		in := &m.Inputs[i]
		iptr := ptr + "/inputs/" + strconv.Itoa(i)
		if sc := urlScheme(in.URL); sc != "" {
			c.add("input "+sc+"://", in.pos, iptr+"/url")
		}
		c.options("input ", iptr, in.Options, in.optPos, in.pos)
	}
	for i := range m.Pushes {
		ps := &m.Pushes[i]
		pptr := ptr + "/pushes/" + strconv.Itoa(i)
		if sc := urlScheme(ps.URL); sc != "" {
			c.add("push "+sc+"://", ps.pos, pptr+"/url")
		}
		c.options("push ", pptr, ps.Options, ps.optPos, ps.pos)
	}
	if t := m.Thumbnails; t != nil && t.URL != "" {
		c.add("thumbnails url=", t.pos, ptr+"/thumbnails/url")
	}
	if t := m.Transcoder; t != nil {
		for i, o := range t.Raw {
			c.add("transcoder "+o.Key+"=", t.pos, ptr+"/transcoder/raw_options/"+strconv.Itoa(i))
		}
	}
}

// options reports the inactive options of an input or a push, at each
// option's own position when the parser read it.
func (c *noticer) options(kind, ptr string, opts map[string]string, at map[string]position, p position) {
	for _, k := range slices.Sorted(maps.Keys(opts)) {
		c.add(kind+k+"=", firstKnown(at[k], p), ptr+"/options/"+k)
	}
}

// kept reports the DVR settings that are set and that nothing acts on:
// keyed as directives of a named dvr (suffix "") or as options of a
// stream's dvr line (suffix "=", except the bare flag replicate).
func (c *noticer) kept(ptr, suffix string, k *DVRKept, at map[string]position, p position) {
	for _, s := range []struct {
		name, json string
		set        bool
	}{
		{"copy", "copy", k.Copy != ""},
		{"replicate", "dvr_replicate", k.Replicate},
		{"replication_port", "replication_port", k.ReplicationPort != 0},
		{"episodes_expiration", "episodes_expiration", k.EpisodesExpiration != 0},
	} {
		if !s.set {
			continue
		}
		name := s.name
		if _, alias := at["dvr_replicate"]; alias && name == "replicate" {
			name = "dvr_replicate" // reported as the operator wrote it
		}
		key := "dvr " + name
		if name != "replicate" && name != "dvr_replicate" {
			key += suffix
		}
		c.add(key, firstKnown(at[name], p), ptr+"/"+s.json)
	}
}
