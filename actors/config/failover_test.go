package config

import (
	"strings"
	"testing"
)

// TestFailoverSettings covers StreamHive's failover settings (return_after,
// error_threshold) on a stream, a template and an input: parsed into the
// model's JSON, printed back, and validated.
func TestFailoverSettings(t *testing.T) {
	src := `template t { prefix live; return_after false; error_threshold 5; }
stream a {
  input rtmp://h/a return_after=4 error_threshold=50 source_timeout=2;
  input fake:// standby backup return_after=false;
  return_after 30; error_threshold 12; source_timeout 3;
}`
	s := mustParse(t, src)
	got := modelJSON(t, s)
	for _, want := range []string{
		`"templates":[{"name":"t","prefixes":["live"],"return_after":false,"error_threshold":5}]`,
		`{"url":"rtmp://h/a","source_timeout":2,"return_after":4,"error_threshold":50}`,
		`{"url":"fake://","backup":true,"standby":true,"return_after":false}`,
		`"source_timeout":3,"return_after":30,"error_threshold":12`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("model %s\nlacks %s", got, want)
		}
	}
	if err := s.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	back := mustParse(t, string(Print(s)))
	if a := modelJSON(t, back); a != got {
		t.Errorf("round trip differs\n%s\n%s", got, a)
	}
	if eff, _ := s.Effective("a"); eff.ReturnAfter == nil || eff.ReturnAfter.Seconds != 30 || eff.ErrorThreshold != 12 {
		t.Errorf("effective stream: return_after %+v error_threshold %d", eff.ReturnAfter, eff.ErrorThreshold)
	}
}

func TestFailoverSettingsErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"stream a { return_after soon; }", "return_after: "},
		{"stream a { input fake:// return_after=x; }", "return_after: "},
		{"stream a { input fake:// error_threshold=x; }", "error_threshold: "},
		{"stream a { error_threshold -1; }", "error_threshold -1 is negative"},
		{"stream a { input fake:// error_threshold=-2; }", "error_threshold -2 is negative"},
	}
	for _, tt := range tests {
		s, err := Parse("f.conf", []byte(tt.src))
		if err == nil {
			err = s.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.src, err, tt.want)
		}
	}
}
