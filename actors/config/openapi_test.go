package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenAPIExamples parses the configuration examples taken from the
// OpenAPI description (testdata/openapi; each file names its source), and
// checks that each validates and round-trips through Print.
func TestOpenAPIExamples(t *testing.T) {
	files, err := filepath.Glob("testdata/openapi/*.conf")
	if err != nil || len(files) < 4 {
		t.Fatalf("testdata: %v %v", files, err)
	}
	// Files whose Validate must fail, and the error it must give.
	invalid := map[string]string{
		"config_validate_curl.conf": "config_validate_curl.conf:1:34: input without a URL",
	}
	// server_examples.conf uses TLS listeners and on_play: accepted once
	// they are built (TestProtectionTableRefusesWhatIsNotBuilt).
	markBuilt(t)
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			s, err := ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			err = s.Validate()
			if want, ok := invalid[name]; ok {
				if err == nil || !strings.HasSuffix(err.Error(), want) {
					t.Errorf("Validate: got %v, want %q", err, want)
				}
			} else if err != nil {
				t.Errorf("Validate: %v", err)
			}
			back := mustParse(t, string(Print(s)))
			if a, b := modelJSON(t, s), modelJSON(t, back); a != b {
				t.Errorf("round trip differs\n%s\n%s", a, b)
			}
		})
	}
}

func TestOpenAPIConfigValidateExample(t *testing.T) {
	s, err := ParseFile("testdata/openapi/config_validate.conf")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"listeners":{"http":[{"port":80}]},"streams":[{"name":"mystream","inputs":[{"url":"udp://239.0.0.1:1234"}],"transcoder":{"video":[{"bitrate":2048000}],"audio":{"bitrate":64000}}}]}`
	if got := modelJSON(t, s); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// The same text through the API's PUT /config.
	text, _ := os.ReadFile("testdata/openapi/config_validate.conf")
	var srv Server
	if err := (ReplaceText{Filename: "flussonic.conf", Text: text}).Apply(&srv); err != nil {
		t.Fatal(err)
	}
	err = (ReplaceText{Filename: "flussonic.conf", Text: []byte("http 80; stream mystream { input \"\"; }")}).Apply(&srv)
	var list ErrorList
	if !errors.Is(err, ErrInvalid) || !errors.As(err, &list) || list[0].Line != 1 || list[0].Col != 34 {
		t.Errorf("ReplaceText of the bad_url example: %v", err)
	}
}
