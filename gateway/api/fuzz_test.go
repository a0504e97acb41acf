package api

import (
	"slices"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

// FuzzCursor: any cursor a client sends is decoded or rejected, never a
// panic; one we made decodes to the keys it was made from.
func FuzzCursor(f *testing.F) {
	f.Add(encodeCursor(false, []scalar{{kind: kindNum, n: 3}, {kind: kindStr, s: "live/bunny"}}))
	f.Add(encodeCursor(true, []scalar{{}, {kind: kindBool, b: true}, {kind: kindStr, s: "x"}}))
	f.Add("JTI0cG9zaXRpb25fZ3Q9MQ==") // the schema's example
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s)
		if err != nil {
			return
		}
		again, err := decodeCursor(encodeCursor(c.before, c.keys))
		if err != nil {
			t.Fatalf("re-encoded cursor: %v", err)
		}
		if again.before != c.before || !slices.EqualFunc(again.keys, c.keys, func(a, b scalar) bool {
			return compareScalars(a, b) == 0
		}) {
			t.Fatalf("round trip %+v -> %+v", c, again)
		}
	})
}

// FuzzListQuery: any query string parses or is rejected, and a parsed one
// runs over a collection without panicking.
func FuzzListQuery(f *testing.F) {
	for _, q := range []string{
		"limit=10&sort=-stats.lifetime,name&select=name,stats.alive",
		"name_like=c*m*&stats.alive=true&inputs.0.url_ne=x&q=door",
		"sort=-&select=,.,..&limit=0&position_gte=-1e308",
		"options.streamid_like=*&inputs.options.x=null",
	} {
		f.Add(q)
	}
	h := newHarness(f, testConfig(f, bunnyConf))
	snap := h.api.current()
	f.Fuzz(func(t *testing.T, query string) {
		var args fasthttp.Args
		args.Parse(query)
		q, err := parseListQuery(&args)
		if err != nil {
			return
		}
		p, err := snap.streams.list(q, h.api.stats)
		if err != nil {
			return
		}
		for i := range p.items {
			if _, err := snap.streams.appendItem(nil, &p.items[i], q.sel); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzLike: wildcard matching never panics, and agrees with the obvious
// answers.
func FuzzLike(f *testing.F) {
	f.Add("Front door", "door")
	f.Add("cam-12", "c*m*2")
	f.Add("", "*")
	f.Fuzz(func(t *testing.T, text, pattern string) {
		pattern = strings.ToLower(pattern)
		got := like(text, pattern)
		if !strings.Contains(pattern, "*") && got != strings.Contains(strings.ToLower(text), pattern) &&
			isASCII(text) && isASCII(pattern) {
			t.Fatalf("like(%q, %q) = %v", text, pattern, got)
		}
		if !like(text, "*") {
			t.Fatalf("* does not match %q", text)
		}
		if low := strings.ToLower(text); !strings.Contains(low, "*") && !glob(low, low) {
			t.Fatalf("%q does not match itself", low)
		}
	})
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func TestGlob(t *testing.T) {
	tests := []struct {
		s, p string
		want bool
	}{
		{"cam1", "cam*", true},
		{"cam1", "*1", true},
		{"cam1", "c*m*1", true},
		{"cam1", "c*x", false},
		{"cam1", "cam1", true},
		{"cam1", "cam", false},
		{"aaa", "*a*a*a*", true},
		{"aa", "*a*a*a*", false},
		{"", "*", true},
		{"", "", true},
		{"x", "", false},
	}
	for _, tt := range tests {
		if got := glob(tt.s, tt.p); got != tt.want {
			t.Errorf("glob(%q, %q) = %v", tt.s, tt.p, got)
		}
	}
}
