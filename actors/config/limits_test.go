package config

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// TestNestingBomb: "a{" repeated 300,000 times (1.2 MB, no credentials
// needed where edit_auth is unset) overflowed the parser's stack, which
// ends the process. It is refused at the first block past MaxNesting.
func TestNestingBomb(t *testing.T) {
	for _, unit := range []string{"a{", "{", "stream s { input x { ", "a b c {"} {
		src := bytes.Repeat([]byte(unit), 300_000)
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		s, err := Parse("bomb.conf", src)
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		if s != nil || !errors.Is(err, ErrInvalid) {
			t.Fatalf("%q: Parse = %v, %v; want an ErrInvalid", unit, s, err)
		}
		if !strings.Contains(err.Error(), "nested deeper than 16 levels") {
			t.Errorf("%q: error does not name the limit:\n%v", unit, err)
		}
		var list ErrorList
		if !errors.As(err, &list) || len(list) > maxErrors+1 || list[0].Line != 1 || list[0].File != "bomb.conf" {
			t.Errorf("%q: want at most %d errors naming bomb.conf:1, got %d: %v", unit, maxErrors+1, len(list), err)
		}
		// Reading stops at the limit: the allocation is a small multiple
		// of the text, not of the text times the depth.
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 8<<20 {
			t.Errorf("%q: parsing allocated %d bytes", unit, grew)
		}
	}
}

// TestNestingLimitEdge: MaxNesting levels parse (the error, if any, is
// about the unknown directive, not the depth); one more is refused.
func TestNestingLimitEdge(t *testing.T) {
	nest := func(n int) string {
		return strings.Repeat("a {", n) + strings.Repeat("}", n)
	}
	if _, err := Parse("edge.conf", []byte(nest(MaxNesting))); err == nil || strings.Contains(err.Error(), "nested") {
		t.Errorf("%d levels: want only an unknown-directive error, got %v", MaxNesting, err)
	}
	_, err := Parse("edge.conf", []byte(nest(MaxNesting+1)))
	if err == nil || !strings.Contains(err.Error(), "edge.conf:1:") || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("%d levels: want a nesting error at edge.conf:1, got %v", MaxNesting+1, err)
	}
}

// TestErrorCountIsBounded: a text of a million errors reports maxErrors
// of them and says it stopped, instead of a response of megabytes.
func TestErrorCountIsBounded(t *testing.T) {
	for _, src := range []string{strings.Repeat("}", 1_000_000), strings.Repeat("nosuch;", 200_000), strings.Repeat("\"", 1000)} {
		_, err := Parse("many.conf", []byte(src))
		var list ErrorList
		if !errors.As(err, &list) {
			t.Fatalf("want an ErrorList, got %v", err)
		}
		if len(list) > maxErrors+1 {
			t.Errorf("%.10q…: %d errors reported, want at most %d", src, len(list), maxErrors+1)
		}
		if len(list) > maxErrors && !strings.Contains(err.Error(), "too many errors") {
			t.Errorf("%.10q…: a cut list does not say so", src)
		}
	}
}

func TestTextSizeLimit(t *testing.T) {
	_, err := Parse("big.conf", make([]byte, MaxTextSize+1))
	if err == nil || !strings.Contains(err.Error(), "big.conf:1:1: config text of") {
		t.Errorf("want a size error at big.conf:1:1, got %v", err)
	}
}

// FuzzParseNesting builds deep texts from a fuzzed unit and count: Parse
// must return (an overflow would kill the fuzzer) and refuse or accept
// without a panic.
func FuzzParseNesting(f *testing.F) {
	f.Add([]byte("a{"), uint16(50_000))
	f.Add([]byte("stream s { "), uint16(20))
	f.Add([]byte("{"), uint16(17))
	f.Add([]byte("a \"{\" {"), uint16(1000))
	f.Fuzz(func(t *testing.T, unit []byte, n uint16) {
		if len(unit) == 0 || len(unit) > 64 {
			return
		}
		src := bytes.Repeat(unit, int(n))
		src = append(src, bytes.Repeat([]byte("}"), int(n))...)
		if s, err := Parse("fuzz.conf", src); err != nil && s != nil {
			t.Fatal("Parse returned a model with an error")
		}
	})
}
