package config

import (
	"fmt"
	"os"
	"strings"
)

// Limits on config text. The parser is recursive descent over nested
// blocks, and a goroutine's stack overflow is fatal (no recover): without
// a depth limit a 1 MB body of "a{" repeated ends the process. Real
// configurations nest three levels (server, stream, a block option such as
// an auth backend); the limits leave a wide margin and still bound the
// recursion, the memory and the error text of any input.
const (
	// MaxNesting is the deepest block nesting Parse accepts.
	MaxNesting = 16
	// MaxTextSize is the largest config text Parse accepts: far above
	// 10,000 streams of several lines each.
	MaxTextSize = 64 << 20
	// maxErrors is where Parse stops reporting: a file that wrong is not
	// a configuration, and each error costs memory and response bytes.
	maxErrors = 100
)

// Parse reads config text in the Flussonic configuration language into the
// model, converting the file's units into the API's. It reports every
// problem it can find, as an ErrorList of *Error with file, line and
// column; on error the returned Server is nil. Parse does not run
// Validate: references between objects and value ranges are its job.
func Parse(filename string, src []byte) (*Server, error) {
	var errs ErrorList
	if len(src) > MaxTextSize {
		errs = append(errs, errorAt(position{file: filename, line: 1, col: 1}, "",
			"config text of %d bytes is over the limit of %d", len(src), MaxTextSize))
		return nil, errs.err()
	}
	p := &parser{lex: newLexer(filename, src, &errs), errs: &errs}
	stmts := p.block(nil)
	s := &Server{pos: map[string]position{}}
	p.dispatch(stmts, globalDirectives, s)
	if err := errs.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// ParseFile reads and parses the file at path.
func ParseFile(path string) (*Server, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(path, src)
}

// Load parses the file at path and validates it: what the server does with
// a config file at start and on reload.
func Load(path string) (*Server, error) {
	s, err := ParseFile(path)
	if err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// stmt is one statement: a directive name, its arguments and its block.
type stmt struct {
	name     token
	args     []token
	block    []*stmt
	hasBlock bool
	endOff   int // byte offset just past its ';' or '}'
}

// text is the statement as written in src, from its name to its
// terminator: what a directive kept as raw text prints back.
func (s *stmt) text(src []byte) string {
	if s.endOff <= s.name.off || s.endOff > len(src) {
		return s.describe()
	}
	return string(src[s.name.off:s.endOff])
}

// last is the statement's last token before its terminator.
func (s *stmt) last() token {
	if len(s.args) > 0 {
		return s.args[len(s.args)-1]
	}
	return s.name
}

// describe is the statement as written, shortened, for messages.
func (s *stmt) describe() string {
	parts := []string{s.name.describe()}
	for _, a := range s.args {
		parts = append(parts, a.describe())
	}
	d := strings.Join(parts, " ")
	if len(d) > 40 {
		d = d[:37] + "..."
	}
	return d
}

type parser struct {
	lex    *lexer
	peeked *token
	errs   *ErrorList
	depth  int  // blocks open around the current token
	halted bool // a limit was hit: read no further
	// closeOff is the offset just past the last '}' that closed a block.
	closeOff int
}

// stopped reports whether parsing has given up: nesting past MaxNesting, or
// maxErrors problems found. What was read so far is still interpreted for
// its errors, and Parse fails.
func (p *parser) stopped() bool {
	if !p.halted && len(*p.errs) >= maxErrors {
		p.errorf(p.lex.pos(), "too many errors; stopped reading")
		p.halted = true
	}
	return p.halted
}

func (p *parser) next() token {
	if p.peeked != nil {
		t := *p.peeked
		p.peeked = nil
		return t
	}
	return p.lex.next()
}

func (p *parser) unread(t token) { p.peeked = &t }

func (p *parser) errorf(at position, format string, args ...any) {
	*p.errs = append(*p.errs, errorAt(at, "", format, args...))
}

// block reads statements up to the '}' that closes the block opened by
// open, or to the end of the file when open is nil.
func (p *parser) block(open *token) []*stmt {
	if open != nil {
		if p.depth >= MaxNesting {
			p.errorf(open.pos, "blocks nested deeper than %d levels; stopped reading", MaxNesting)
			p.halted = true
			return nil
		}
		p.depth++
		defer func() { p.depth-- }()
	}
	var out []*stmt
	for !p.stopped() {
		t := p.next()
		switch t.kind {
		case tokEOF:
			if open != nil {
				p.errorf(t.pos, "expected '}' to close the block opened at %d:%d, got end of file", open.pos.line, open.pos.col)
			}
			return out
		case tokRBrace:
			if open != nil {
				p.closeOff = t.endOff
				return out
			}
			p.errorf(t.pos, "unexpected '}': no block is open")
		case tokSemi:
			// An empty statement.
		case tokLBrace:
			p.errorf(t.pos, "expected a directive name before '{'")
			p.block(&t)
		case tokWord:
			out = append(out, p.statement(t))
		}
	}
	return out
}

// statement reads the rest of the statement named by name.
func (p *parser) statement(name token) *stmt {
	s := &stmt{name: name}
	for {
		t := p.next()
		switch t.kind {
		case tokWord:
			s.args = append(s.args, t)
		case tokSemi:
			s.endOff = t.endOff
			return s
		case tokLBrace:
			s.hasBlock = true
			s.block = p.block(&t)
			s.endOff = p.closeOff
			if n := p.next(); n.kind != tokSemi {
				p.unread(n)
			}
			return s
		default: // '}' or end of file: the ';' is missing.
			p.errorf(s.last().end, "expected ';' after %s", s.describe())
			p.unread(t)
			return s
		}
	}
}
