package config

import (
	"strings"
	"testing"
)

// TestOnDemandDirective: `ondemand NAME URL;` is a stream with static
// false and that one input, and prints back as written while it says no
// more; a stream block says the same to the API.
func TestOnDemandDirective(t *testing.T) {
	for _, tt := range []struct{ src, print string }{
		{"ondemand od tshttp://h/;", "ondemand od tshttp://h/;\n"},
		{"ondemand od tshttp://h/ source_timeout=5 backup;", "ondemand od tshttp://h/ source_timeout=5 backup;\n"},
		{"ondemand od tshttp://h/ { title x; }", "stream od {\n  title x;\n  static false;\n  input tshttp://h/;\n}\n"},
	} {
		s := mustParse(t, tt.src)
		if err := s.Validate(); err != nil {
			t.Fatalf("%s: %v", tt.src, err)
		}
		st, ok := s.Stream("od")
		if !ok || !st.OnDemand() || len(st.Inputs) != 1 || st.Inputs[0].URL != "tshttp://h/" {
			t.Fatalf("%s: got %+v", tt.src, st)
		}
		if got := string(Print(s)); got != tt.print {
			t.Errorf("%s: prints\n%s\nwant\n%s", tt.src, got, tt.print)
		}
		long := mustParse(t, "stream od { input tshttp://h/; static false; }")
		if tt.print == "ondemand od tshttp://h/;\n" && modelJSON(t, s) != modelJSON(t, long) {
			t.Errorf("%s: API JSON %s, the stream block's %s", tt.src, modelJSON(t, s), modelJSON(t, long))
		}
	}
	if _, err := Parse("test.conf", []byte("ondemand;")); err == nil || !strings.Contains(err.Error(), "test.conf:1:") {
		t.Errorf("ondemand without a name: %v", err)
	}
}
