package config

import (
	"fmt"
	"strings"
	"testing"
)

// bigConfig is n streams of a typical shape.
func bigConfig(n int) string {
	var b strings.Builder
	b.WriteString("http 8080;\ndvr arch { root /s; expiration 7d; }\n")
	for i := range n {
		fmt.Fprintf(&b, "stream cam%d {\n  input rtsp://10.0.%d.%d/main priority=1;\n  input fake:// backup;\n  dvr @arch 1d;\n  segment_duration 4;\n}\n", i, i/256, i%256)
	}
	return b.String()
}

func BenchmarkParse1000(b *testing.B) {
	src := []byte(bigConfig(1000))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse("b.conf", src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPrint1000(b *testing.B) {
	s := mustParse(b, bigConfig(1000))
	for b.Loop() {
		Print(s)
	}
}

// BenchmarkPutStream10k is what the config owner does for one API write
// with 10,000 streams: copy, apply (merge, validate), diff.
func BenchmarkPutStream10k(b *testing.B) {
	s := mustParse(b, bigConfig(10000))
	patch := []byte(`{"title":"x","inputs":[{"url":"fake://"}]}`)
	for b.Loop() {
		c := s.ShallowClone()
		if err := (PutStream{Name: "cam5000", Patch: patch}).Apply(c); err != nil {
			b.Fatal(err)
		}
		if d := Diff(s, c); len(d.Changed) != 1 {
			b.Fatal(d)
		}
	}
}

func BenchmarkClone10k(b *testing.B) {
	s := mustParse(b, bigConfig(10000))
	for b.Loop() {
		s.Clone()
	}
}
