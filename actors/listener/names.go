package listener

import "streamhive/media"

// Resolve implements rtmp.Resolver: of the names an RTMP app and key can
// mean (rtmp.StreamNames), the publisher feeds the first the server
// knows, so a stream configured as static/NAME keeps its prefix while
// rtmp://HOST/static/NAME reaches stream NAME.
func (h rtmpHooks) Resolve(names []media.StreamName) media.StreamName {
	return h.p.resolve(names)
}

// resolve returns the first of names that a stream has, else the first
// that a template admits (a publisher creates it: rtmp://HOST/live/abc
// under a template with prefix live is stream live/abc), else the last
// (the shortest: a reserved application discarded), which the refusal
// then names. names is never empty.
func (p *publisher) resolve(names []media.StreamName) media.StreamName {
	for _, n := range names {
		if _, ok := p.lookup(string(n)); ok {
			return n
		}
	}
	if p.dynamic != nil {
		for _, n := range names {
			if p.dynamic.Admits(string(n)) {
				return n
			}
		}
	}
	return names[len(names)-1]
}
