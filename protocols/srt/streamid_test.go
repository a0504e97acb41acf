package srt

import (
	"strings"
	"testing"
)

var streamIDTests = []struct {
	name, in string
	want     StreamID
	ok       bool
}{
	{"access control", "#!::r=cam1,m=publish", StreamID{Name: "cam1", Mode: "publish"}, true},
	{"mode first", "#!::m=request,r=live/cam1", StreamID{Name: "live/cam1", Mode: "request"}, true},
	{"extra keys", "#!::r=a,m=publish,s=123,h=host", StreamID{Name: "a", Mode: "publish"}, true},
	{"viewer with a token", "#!::r=a,m=request,u=tok123,a=vlc", StreamID{Name: "a", Mode: "request", User: "tok123", UserAgent: "vlc"}, true},
	{"flussonic stream port play", "#!::m=request", StreamID{Mode: "request"}, true},
	{"too long", "#!::r=" + strings.Repeat("x", MaxStreamID), StreamID{}, false},
	{"password with a comma", "#!::r=a,m=publish,password=s3cr,et", StreamID{}, false},
	{"password", "#!::r=a,password=s3cret,m=publish", StreamID{Name: "a", Mode: "publish", Password: "s3cret"}, true},
	{"no mode", "#!::r=a", StreamID{Name: "a"}, true},
	{"no resource", "#!::m=publish", StreamID{Mode: "publish"}, true},
	{"empty access control", "#!::", StreamID{}, true},
	{"plain", "cam1", StreamID{Name: "cam1"}, true},
	{"plain empty", "", StreamID{}, true},
	{"value with equals", "#!::r=a=b", StreamID{Name: "a=b"}, true},
	{"pair without equals", "#!::r=a,junk", StreamID{}, false},
	{"trailing comma", "#!::r=a,", StreamID{}, false},
	// Flussonic's documented forms: the global port, a publish-only port
	// (srt_publish: no m=), a name with slashes.
	{"flussonic global port", "#!::r=mysrt,m=publish", StreamID{Name: "mysrt", Mode: "publish"}, true},
	{"flussonic srt_publish port", "#!::r=mysrt", StreamID{Name: "mysrt"}, true},
	{"name with slashes", "#!::r=client15/published1,m=publish", StreamID{Name: "client15/published1", Mode: "publish"}, true},
	{"slashes around", "#!::r=/cam1/,m=publish", StreamID{Name: "cam1", Mode: "publish"}, true},
	{"plain with slashes", "/client15/published1", StreamID{Name: "client15/published1"}, true},
}

func TestParseStreamID(t *testing.T) {
	for _, tt := range streamIDTests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseStreamID(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("ParseStreamID(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestPublishing(t *testing.T) {
	for mode, want := range map[string]bool{"": true, "publish": true, "request": false, "bidirectional": false} {
		if got := (StreamID{Mode: mode}).Publishing(); got != want {
			t.Errorf("Publishing() with m=%q = %v, want %v", mode, got, want)
		}
	}
}

func FuzzParseStreamID(f *testing.F) {
	for _, tt := range streamIDTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, ok := ParseStreamID(s)
		if !ok && id != (StreamID{}) {
			t.Errorf("ParseStreamID(%q) failed but returned %+v", s, id)
		}
		if ok && len(s) > MaxStreamID {
			t.Errorf("ParseStreamID accepted %d bytes", len(s))
		}
		if len(id.Name) > len(s) || len(id.Mode) > len(s) || len(id.User) > len(s) || len(id.UserAgent) > len(s) {
			t.Errorf("ParseStreamID(%q) = %+v: longer than its input", s, id)
		}
	})
}
