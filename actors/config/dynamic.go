package config

import "strings"

// Dynamic returns the stream that a publisher to name creates: a name no
// stream has, under a prefix of a template that takes publishers (an
// `input publish://`), gets that template's media options, as Flussonic's
// templates with prefixes do. The stream lives while it is published and
// is never part of the configuration. False when a stream has the name,
// the name is one the configuration would refuse (ValidStreamName), no
// template's prefix matches it, or the matching template (the longest
// prefix, as TemplateFor chooses) takes no publishers. The result shares
// no memory with s.
func (s *Server) Dynamic(name string) (Stream, bool) {
	if !ValidStreamName(name) {
		return Stream{}, false
	}
	if _, ok := s.Stream(name); ok {
		return Stream{}, false
	}
	probe := Stream{Name: name}
	t, ok := s.Template(s.TemplateFor(&probe))
	if !ok || !publishes(t.Inputs) {
		return Stream{}, false
	}
	return Stream{Name: name, Template: t.Name, MediaOptions: t.MediaOptions.clone()}, true
}

// OnDemand reports whether a stream with these options starts at its
// first viewer and stops when it has none (`static false`, or declared
// with `ondemand`) rather than running always. A stream fed by
// publishers is not: there is nobody for it to connect to.
func (m *MediaOptions) OnDemand() bool {
	return m.Static != nil && !*m.Static && !publishes(m.Inputs)
}

func publishes(inputs []Input) bool {
	for _, in := range inputs {
		if strings.HasPrefix(in.URL, "publish://") {
			return true
		}
	}
	return false
}
