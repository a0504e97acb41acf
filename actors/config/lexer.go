package config

import (
	"strings"
)

// The Flussonic configuration language, lexically:
//
//	file    = { statement }
//	stmt    = word { word } ( ";" | "{" { stmt } "}" )
//	word    = a run of bytes up to white space, ";", "{" or "}"; a '"' in a
//	          word opens a quoted section (escapes \\ \" \n \t \r \xHH) that
//	          may hold any of those
//	comment = "#" up to the end of the line, where "#" starts a word
//
// A '#' inside a word (streamid=#!::r=a,m=publish) or inside quotes is
// data. A word whose first unquoted '=' comes before any quote is an option:
// key=value, with the value unquoted. Lines and columns are 1-based;
// columns count bytes.

type tokenKind int

const (
	tokEOF tokenKind = iota
	tokWord
	tokSemi
	tokLBrace
	tokRBrace
)

type token struct {
	kind   tokenKind
	text   string // the whole word, quotes removed and escapes decoded
	key    string // for an option: the part before the first unquoted '='
	val    string // for an option: the decoded part after it
	option bool   // key and val are set
	quoted bool   // the word used quotes somewhere
	pos    position
	end    position // just past the last byte
	off    int      // byte offset of pos, for keeping a statement's text
	endOff int      // byte offset of end
}

// describe names a token in an error message.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of file"
	case tokSemi:
		return "';'"
	case tokLBrace:
		return "'{'"
	case tokRBrace:
		return "'}'"
	default:
		return quoteIfNeeded(t.text)
	}
}

type lexer struct {
	src       []byte
	off       int
	line, col int
	file      string
	errs      *ErrorList
}

func newLexer(file string, src []byte, errs *ErrorList) *lexer {
	return &lexer{src: src, line: 1, col: 1, file: file, errs: errs}
}

func (l *lexer) pos() position { return position{file: l.file, line: l.line, col: l.col} }

// advance consumes one byte, keeping line and column.
func (l *lexer) advance() byte {
	c := l.src[l.off]
	l.off++
	if c == '\n' {
		l.line++
		l.col = 1
	} else {
		l.col++
	}
	return c
}

func (l *lexer) errorf(p position, format string, args ...any) {
	*l.errs = append(*l.errs, errorAt(p, "", format, args...))
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isDelim(c byte) bool { return isSpace(c) || c == ';' || c == '{' || c == '}' }

// next returns the next token.
func (l *lexer) next() token {
	l.skipSpaceAndComments()
	p := l.pos()
	if l.off >= len(l.src) {
		return token{kind: tokEOF, pos: p, end: p, off: l.off, endOff: l.off}
	}
	kind := tokWord
	switch l.src[l.off] {
	case ';':
		kind = tokSemi
	case '{':
		kind = tokLBrace
	case '}':
		kind = tokRBrace
	}
	if kind != tokWord {
		l.advance()
		return token{kind: kind, pos: p, end: l.pos(), off: l.off - 1, endOff: l.off}
	}
	return l.word(p)
}

func (l *lexer) skipSpaceAndComments() {
	for l.off < len(l.src) {
		c := l.src[l.off]
		switch {
		case isSpace(c):
			l.advance()
		case c == '#':
			for l.off < len(l.src) && l.src[l.off] != '\n' {
				l.advance()
			}
		default:
			return
		}
	}
}

// word reads a word starting at p.
func (l *lexer) word(p position) token {
	var b strings.Builder
	t := token{kind: tokWord, pos: p, off: l.off}
	keyLen := -1
	for l.off < len(l.src) && !isDelim(l.src[l.off]) {
		c := l.src[l.off]
		switch {
		case c == '"':
			t.quoted = true
			l.quoted(&b)
		case c == '=' && keyLen < 0 && !t.quoted:
			keyLen = b.Len()
			b.WriteByte(l.advance())
		default:
			b.WriteByte(l.advance())
		}
	}
	t.text = b.String()
	t.end = l.pos()
	t.endOff = l.off
	if keyLen >= 0 {
		t.option = true
		t.key = t.text[:keyLen]
		t.val = t.text[keyLen+1:]
	}
	return t
}

// quoted reads a quoted section, the opening quote first, into b.
func (l *lexer) quoted(b *strings.Builder) {
	start := l.pos()
	l.advance()
	for l.off < len(l.src) {
		c := l.advance()
		switch c {
		case '"':
			return
		case '\\':
			l.escape(b)
		default:
			b.WriteByte(c)
		}
	}
	l.errorf(start, "unterminated quoted string: expected '\"' before end of file")
}

// escape decodes the escape after a backslash. An unknown escape is kept
// as written, so Windows paths survive.
func (l *lexer) escape(b *strings.Builder) {
	if l.off >= len(l.src) {
		b.WriteByte('\\')
		return
	}
	switch c := l.src[l.off]; c {
	case '\\', '"':
		b.WriteByte(l.advance())
	case 'n':
		l.advance()
		b.WriteByte('\n')
	case 't':
		l.advance()
		b.WriteByte('\t')
	case 'r':
		l.advance()
		b.WriteByte('\r')
	case 'x':
		if l.off+2 < len(l.src) && isHex(l.src[l.off+1]) && isHex(l.src[l.off+2]) {
			l.advance()
			h := unhex(l.advance())<<4 | unhex(l.advance())
			b.WriteByte(h)
			return
		}
		b.WriteByte('\\')
	default:
		b.WriteByte('\\')
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
