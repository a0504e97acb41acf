package main

import (
	"os"
	"strings"
	"testing"
)

// TestCheckWarnsOfWhatIsNotActedOn: -t prints a warning with
// file:line:column for each line the server accepts but does not act on,
// and exits 0 when nothing is refused or wrong.
func TestCheckWarnsOfWhatIsNotActedOn(t *testing.T) {
	path := t.TempDir() + "/f.conf"
	src := "http 8080;\nvod m {\n  thumbnails;\n  storage /m;\n}\nstream a {\n  input fake:// via=x;\n}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	if code := run([]string{"-t", "-config", path}, &out, &errb); code != 0 {
		t.Fatalf("-t exited %d: %s", code, errb.String())
	}
	for _, want := range []string{
		"warning: " + path + ":3:3: vod thumbnails is accepted but not active",
		"warning: " + path + ":7:17: input via= is accepted but not active",
	} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("-t output %q lacks %q", errb.String(), want)
		}
	}
}
