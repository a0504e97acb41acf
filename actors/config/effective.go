package config

import "strings"

// TemplateFor returns the name of the template stream st uses: the one its
// template field names (even if no such template exists), else the
// template with the longest prefix that matches its name, else "".
// A prefix P matches names under "P/"; the empty prefix matches every name.
func (s *Server) TemplateFor(st *Stream) string {
	if st.Template != "" {
		return st.Template
	}
	best, bestLen := "", -1
	for i := range s.Templates {
		t := &s.Templates[i]
		for _, p := range t.Prefixes {
			if len(p) > bestLen && prefixMatches(p, st.Name) {
				best, bestLen = t.Name, len(p)
			}
		}
	}
	return best
}

func prefixMatches(prefix, name string) bool {
	if prefix == "" {
		return true
	}
	return strings.HasPrefix(name, strings.TrimSuffix(prefix, "/")+"/")
}

// Effective returns stream name with its template's media options applied
// under its own: the stream's JSON merged over the template's with the
// API's merge rules (objects merge, the stream's arrays and scalars win).
// The result shares no memory with s.
func (s *Server) Effective(name string) (Stream, bool) {
	st, ok := s.Stream(name)
	if !ok {
		return Stream{}, false
	}
	t, ok := s.Template(s.TemplateFor(st))
	if !ok {
		return st.clone(), true
	}
	base, err1 := toGeneric(&t.MediaOptions)
	over, err2 := toGeneric(st)
	var eff Stream
	if err1 != nil || err2 != nil || decodeStrict(mergeValue(base, over), &eff) != nil {
		// The model always round-trips through JSON; failing to is a bug.
		panic("config: stream does not round-trip through JSON")
	}
	eff.pos = st.pos
	return eff, true
}
