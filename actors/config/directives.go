package config

import (
	"fmt"
	"maps"
	"slices"
)

// handler interprets one statement into its target.
type handler[T any] func(p *parser, s *stmt, target T)

// dispatch runs each statement's handler from table; an unknown directive
// is an error that suggests the nearest known name.
func dispatch[T any](p *parser, stmts []*stmt, table map[string]handler[T], target T) {
	for _, s := range stmts {
		if len(*p.errs) >= maxErrors {
			return // Parse fails anyway; more messages only cost
		}
		h, ok := table[s.name.text]
		if !ok {
			if rh, isHolder := any(target).(rawHolder); isHolder && p.keepRaw(s, rh) {
				continue
			}
			p.unknown(s.name, slices.Collect(maps.Keys(table)))
			continue
		}
		h(p, s, target)
	}
}

func (p *parser) dispatch(stmts []*stmt, table map[string]handler[*Server], s *Server) {
	dispatch(p, stmts, table, s)
}

func (p *parser) unknown(name token, known []string) {
	if best := nearest(name.text, known); best != "" {
		p.errorf(name.pos, "unknown directive %s; did you mean %q?", name.describe(), best)
		return
	}
	p.errorf(name.pos, "unknown directive %s", name.describe())
}

// nearest returns the name in known closest to s by edit distance, if it
// is close enough to be a typo: at most 2 edits and fewer than len(s).
func nearest(s string, known []string) string {
	slices.Sort(known)
	best, bestD := "", 3
	for _, k := range known {
		if d := levenshtein(s, k); d < bestD && d < len(s) {
			best, bestD = k, d
		}
	}
	return best
}

// levenshtein is the edit distance between a and b (insertions, deletions,
// substitutions), in bytes.
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// nargs checks that s has between lo and hi arguments (hi < 0: no limit)
// and no block; what describes the arguments for the message.
func (p *parser) nargs(s *stmt, lo, hi int, what string) bool {
	ok := p.noBlock(s)
	if len(s.args) < lo {
		p.errorf(s.last().end, "expected %s after %s", what, s.describe())
		return false
	}
	if hi >= 0 && len(s.args) > hi {
		p.tooMany(s, hi)
		return false
	}
	return ok
}

// tooMany reports the argument after the first n. When it is on a later
// line, the likely mistake is a missing ';'.
func (p *parser) tooMany(s *stmt, n int) {
	head := &stmt{name: s.name, args: s.args[:n]}
	extra := s.args[n]
	if extra.pos.line > head.last().end.line {
		p.errorf(head.last().end, "expected ';' after %s", head.describe())
		return
	}
	p.errorf(extra.pos, "unexpected argument %s: %s takes %s", extra.describe(), s.name.text, plural(n, "argument"))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func (p *parser) noBlock(s *stmt) bool {
	if s.hasBlock {
		p.errorf(s.name.pos, "%s takes no block: expected ';' after it", s.name.text)
		return false
	}
	return true
}

// valPos is where an option's value starts (after "key=").
func (t token) valPos() position {
	if !t.option || t.pos.line == 0 {
		return t.pos
	}
	p := t.pos
	p.col += len(t.key) + 1
	return p
}
