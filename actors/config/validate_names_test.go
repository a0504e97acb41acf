package config

import (
	"fmt"
	"strings"
	"testing"
)

// TestNameLimits: names too long or with characters Flussonic does not
// allow, and relative DVR paths, are refused with their position; the
// names and paths Flussonic's examples use load.
func TestNameLimits(t *testing.T) {
	long := strings.Repeat("a", 10000)
	for _, tt := range []struct{ src, want string }{
		{"stream " + long + ";", "test.conf:1:1: stream name \"aaaa"},
		{"stream " + long + ";", "is 10000 bytes long; at most 255"},
		{"template " + long + " { prefix p; }", "test.conf:1:1: template name"},
		{"dvr " + long + " /d;", "test.conf:1:1: dvr name"},
		{"stream a\n  ;\nstream é;", "test.conf:3:1: stream name \"é\" contains 'é'"},
		{"stream a:b;", "stream name \"a:b\" contains ':'"},
		{"template t+1 { prefix t; }", "template name \"t+1\" contains '+'"},
		{"dvr d.x%1 /d;", "dvr name \"d.x%1\" contains '%'"},
		{"dvr d var/dvr;", "test.conf:1:1: dvr path \"var/dvr\" is relative"},
		{"dvr d { disk dvr1; }", "dvr path \"dvr1\" is relative"},
		{"stream a { dvr dvr 1d; }", "test.conf:1:1: dvr path \"dvr\" is relative"},
		{"template t { prefix t; dvr ./d; }", "dvr path \"./d\" is relative"},
		{"stream " + strings.Repeat("a", MaxNameLength) + ";", ""},
		{"stream live/cam-1_b.2; template live { prefix live; }", ""},
		{"dvr main_1.x { root /storage; disk /mnt/a; }\nstream a { dvr @main_1.x; }", ""},
		{"stream a { dvr /var/lib/dvr 1d; }", ""},
	} {
		name := tt.src
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			err := mustParse(t, tt.src).Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if len(err.Error()) > 500 {
				t.Errorf("the message repeats the whole name: %d bytes", len(err.Error()))
			}
		})
	}
}

// TestNameLimitsThroughTheAPI: a name the file could not hold is refused
// from the API too, at its JSON pointer.
func TestNameLimitsThroughTheAPI(t *testing.T) {
	var s Server
	err := PutStream{Name: strings.Repeat("x", 300), Patch: []byte(`{"inputs":[{"url":"fake://"}]}`)}.Apply(&s)
	if err == nil || !strings.Contains(err.Error(), "/streams/0/name") {
		t.Errorf("a 300-byte name: %v", err)
	}
	err = PatchServer{Patch: []byte(fmt.Sprintf(`{"dvrs":[{"name":"d","root":%q}]}`, "rel/dir"))}.Apply(&s)
	if err == nil || !strings.Contains(err.Error(), "/dvrs/0/root") {
		t.Errorf("a relative root: %v", err)
	}
}
