package config

import "slices"

// StreamDiff is what a new configuration changes about streams: names,
// each list sorted.
type StreamDiff struct {
	Added, Removed, Changed []string
}

// Empty reports whether the diff touches no stream.
func (d StreamDiff) Empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0
}

// Diff compares the streams of two configurations. A stream is Changed
// when its effective configuration differs: its own options, the template
// it uses (a different one, or the same one edited), or a named DVR its
// dvr line or its template's references. File positions never count. Diff is pure: it modifies neither prev nor next.
func Diff(prev, next *Server) StreamDiff {
	var d StreamDiff
	oldStreams := make(map[string]*Stream, len(prev.Streams))
	for i := range prev.Streams {
		oldStreams[prev.Streams[i].Name] = &prev.Streams[i]
	}
	c := newComparer(prev, next)
	seen := make(map[string]bool, len(next.Streams))
	for i := range next.Streams {
		n := &next.Streams[i]
		seen[n.Name] = true
		o, ok := oldStreams[n.Name]
		switch {
		case !ok:
			d.Added = append(d.Added, n.Name)
		case c.changed(o, n):
			d.Changed = append(d.Changed, n.Name)
		}
	}
	for i := range prev.Streams {
		if !seen[prev.Streams[i].Name] {
			d.Removed = append(d.Removed, prev.Streams[i].Name)
		}
	}
	slices.Sort(d.Added)
	slices.Sort(d.Removed)
	slices.Sort(d.Changed)
	d.Added, d.Removed, d.Changed = slices.Compact(d.Added), slices.Compact(d.Removed), slices.Compact(d.Changed)
	return d
}

// comparer remembers which templates and DVRs differ between old and new.
type comparer struct {
	old, new     *Server
	templateSame map[string]bool
	dvrSame      map[string]bool
}

func newComparer(prev, next *Server) *comparer {
	c := &comparer{old: prev, new: next, templateSame: map[string]bool{}, dvrSame: map[string]bool{}}
	for i := range next.Templates {
		t := &next.Templates[i]
		if o, ok := prev.Template(t.Name); ok {
			c.templateSame[t.Name] = equalTemplate(o, t)
		}
	}
	for i := range next.DVRs {
		d := &next.DVRs[i]
		if o, ok := prev.DVR(d.Name); ok {
			c.dvrSame[d.Name] = equalDVR(o, d)
		}
	}
	return c
}

func (c *comparer) changed(o, n *Stream) bool {
	if !o.EqualConfig(n) {
		return true
	}
	to, tn := c.old.TemplateFor(o), c.new.TemplateFor(n)
	if to != tn {
		return true
	}
	if tn != "" && !c.templateSame[tn] {
		// Edited, or missing on one side (equal names, so both or neither
		// resolve; a dangling name is caught by Validate).
		_, inOld := c.old.Template(tn)
		_, inNew := c.new.Template(tn)
		if inOld || inNew {
			return true
		}
	}
	if c.dvrChanged(n.DVR) {
		return true
	}
	if t, ok := c.new.Template(tn); ok && c.dvrChanged(t.DVR) {
		return true
	}
	return false
}

func (c *comparer) dvrChanged(d *StreamDVR) bool {
	if d == nil || d.Reference == "" {
		return false
	}
	return !c.dvrSame[d.Reference]
}
