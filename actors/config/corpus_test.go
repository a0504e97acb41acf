package config

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The corpus: configuration files of our own, each following one page of
// Flussonic's documentation (named on its first line), that together use
// every directive and option of the grammar table in its documented
// forms. Each loads, or is refused only for the protection entry its
// second line names (`# refused: KEY`); each prints back to text that
// reads to the same model, and goes to API JSON and back unchanged.

var docLine = regexp.MustCompile(`^# https://flussonic\.com/doc/\S+$`)

func corpusFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "corpus", "*.conf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	return files
}

func TestCorpus(t *testing.T) {
	for _, f := range corpusFiles(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.SplitN(string(src), "\n", 3)
			if !docLine.MatchString(lines[0]) {
				t.Fatalf("first line %q does not name the documentation page", lines[0])
			}
			s, err := Parse(f, src)
			if err != nil {
				t.Fatal(err)
			}
			checkLoad(t, s, lines[1])
			for _, n := range s.Inactive() {
				if n.File != f || n.Line == 0 {
					t.Errorf("notice without its position: %s", n)
				}
			}
			fromJSON := roundTrip(t, s)
			checkLoad(t, fromJSON, lines[1]) // the API validates what it reads the same way
		})
	}
}

// checkLoad: Validate passes, or refuses exactly the protection entry
// named by `# refused: KEY`, which the table must list as refused.
func checkLoad(t *testing.T, s *Server, second string) {
	t.Helper()
	err := s.Validate()
	key, expect := strings.CutPrefix(second, "# refused: ")
	switch {
	case !expect && err != nil:
		t.Fatalf("refused: %v", err)
	case expect && grammar[key].state != refused:
		t.Fatalf("%q is not a refused entry of the grammar table", key)
	case expect && (err == nil || !strings.Contains(err.Error(), key+" is not supported yet")):
		t.Fatalf("want a refusal of %s, got %v", key, err)
	}
}

// roundTrip: the printed text reads back to the same model, and so does
// the model's API JSON, which it returns.
func roundTrip(t *testing.T, s *Server) *Server {
	t.Helper()
	text := Print(s)
	back, err := Parse("printed.conf", text)
	if err != nil {
		t.Fatalf("printed text does not parse: %v\n%s", err, text)
	}
	if !sameServer(s, back) {
		t.Errorf("printed text reads back differently\n%s\n%s\n%s", text, modelJSON(t, s), modelJSON(t, back))
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON Server
	if err := json.Unmarshal(b, &fromJSON); err != nil {
		t.Fatalf("API JSON does not read back: %v\n%s", err, b)
	}
	if !sameServer(s, &fromJSON) || string(Print(&fromJSON)) != string(text) {
		t.Errorf("API JSON reads back differently\n%s\n%s", b, modelJSON(t, &fromJSON))
	}
	return &fromJSON
}

// sameServer compares with the equal funcs where they exist and the API
// JSON for the rest (global directives).
func sameServer(a, b *Server) bool {
	return slices.EqualFunc(a.Streams, b.Streams, func(x, y Stream) bool { return x.EqualConfig(&y) }) &&
		slices.EqualFunc(a.Templates, b.Templates, func(x, y Template) bool { return equalTemplate(&x, &y) }) &&
		slices.EqualFunc(a.DVRs, b.DVRs, func(x, y DVR) bool { return equalDVR(&x, &y) }) &&
		equalJSON(a, b)
}

func equalJSON(a, b *Server) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// TestCorpusCoversGrammar: every directive, option and URL scheme of the
// grammar table appears in some corpus file. The protection entries are
// named by use, not by word, and are covered by their own tests.
func TestCorpusCoversGrammar(t *testing.T) {
	var all strings.Builder
	for _, f := range corpusFiles(t) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(src)
	}
	text := all.String()
	for key := range grammar {
		if _, protection := protectionEntries[key]; protection {
			continue
		}
		if !regexp.MustCompile(usePattern(key)).MatchString(text) {
			t.Errorf("%s: no corpus file uses it", key)
		}
	}
}

// usePattern matches a use of key: its last word, and for a URL scheme
// the word before it too (push udp://, input udp:// or url udp://).
func usePattern(key string) string {
	kind, word, _ := strings.Cut(key, " ")
	if word == "" {
		word = kind
	} else if i := strings.LastIndexByte(word, ' '); i >= 0 {
		word = word[i+1:]
	}
	w := regexp.QuoteMeta(word)
	switch {
	case kind == "push" && strings.HasSuffix(word, "://"):
		return `push\s+` + w
	case kind == "input" && strings.HasSuffix(word, "://"):
		return `(input|url|stream\s+\S+)\s+` + w
	}
	return `(^|[\s{;])` + w
}
