package config

import "strings"

// quoteIfNeeded returns s as a word the lexer reads back as s: bare when it
// can be, quoted when it is empty, starts a comment, or holds a delimiter,
// a quote or a control byte.
func quoteIfNeeded(s string) string {
	if !needsQuote(s) {
		return s
	}
	return quote(s)
}

func needsQuote(s string) bool {
	if s == "" || s[0] == '#' {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isDelim(c) || c == '"' || c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}

// quote writes s in double quotes with the lexer's escapes.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if c < 0x20 || c == 0x7f {
				const hex = "0123456789abcdef"
				b.WriteString(`\x`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
				continue
			}
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
