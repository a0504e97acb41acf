package config

import (
	"strings"
	"testing"
)

// TestDynamic: a publisher to a name under a publishing template's prefix
// creates a stream with the template's options, unless a stream has the
// name, the template takes no publishers, or the name is one the file
// would refuse (too long, characters Flussonic does not allow).
func TestDynamic(t *testing.T) {
	s := mustParse(t, `
template live { prefix live; input publish://; segment_duration 1; }
template pull { prefix cams; input rtsp://10.0.0.1/x; }
stream live/fixed { input publish://; }
`)
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"live/abc", true},
		{"live/a.b-c_d/e", true},
		{"live/fixed", false},    // configured
		{"cams/one", false},      // that template pulls
		{"other/abc", false},     // no prefix matches
		{"live/a b", false},      // a space
		{"live/<script>", false}, // characters the file refuses
		{"live/" + strings.Repeat("x", MaxNameLength), false},
		{"", false},
	} {
		st, ok := s.Dynamic(c.name)
		if ok != c.ok {
			t.Errorf("Dynamic(%.40q) = %v, want %v", c.name, ok, c.ok)
			continue
		}
		if ok && (st.Template != "live" || st.SegmentDuration != 1000 || st.Name != c.name) {
			t.Errorf("Dynamic(%q) = %+v", c.name, st)
		}
	}
}
