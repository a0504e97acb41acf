package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics and that Print of anything it
// accepts parses back to an equal model.
func FuzzParse(f *testing.F) {
	for _, src := range roundTripConfigs {
		f.Add([]byte(src))
	}
	files, _ := filepath.Glob("testdata/*/*.conf")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("stream a { input srt://h streamid=\"#!::r=a\"; } # c\n"))
	f.Add([]byte("stream \"x\\\" { }"))
	f.Fuzz(func(t *testing.T, src []byte) {
		s, err := Parse("fuzz.conf", src)
		if err != nil {
			if s != nil {
				t.Fatal("Parse returned a model with an error")
			}
			return
		}
		_ = s.Validate()
		text := Print(s)
		back, err := Parse("printed.conf", text)
		if err != nil {
			t.Fatalf("printed text does not parse: %v\ninput:\n%q\nprinted:\n%s", err, src, text)
		}
		if a, b := modelJSON(t, s), modelJSON(t, back); a != b {
			t.Fatalf("round trip differs\ninput %q\nparsed  %s\nprinted %s\ntext:\n%s", src, a, b, text)
		}
	})
}
