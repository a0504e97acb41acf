package config

import (
	"strings"
	"testing"
)

// TestInputOptionsDocumented: each documented option of an input either
// reaches the model field the failover and the pullers read, or is
// reported as accepted but not active with its position and a reason.
// Every input option of the grammar table is in this table.
func TestInputOptionsDocumented(t *testing.T) {
	works := map[string]func(in *Input) bool{
		"backup":     func(in *Input) bool { return in.Backup },
		"standby":    func(in *Input) bool { return in.Standby },
		"priority=2": func(in *Input) bool { return in.Priority != nil && *in.Priority == 2 },
		"source_timeout=20": func(in *Input) bool {
			return in.SourceTimeout != nil && in.SourceTimeout.Seconds == 20
		},
		"source_timeout=false": func(in *Input) bool { return in.SourceTimeout != nil && in.SourceTimeout.Disabled },
		"return_after=30":      func(in *Input) bool { return in.ReturnAfter != nil && in.ReturnAfter.Seconds == 30 },
		"error_threshold=3":    func(in *Input) bool { return in.ErrorThreshold == 3 },
	}
	// Protocol options go to the puller as written.
	for _, o := range []string{"passphrase=secretsecret", "streamid=a", "mode=caller", "pbkeylen=16", "latency=120", "rtp=udp", "rtsp_tcp=true", "user_agent=x", "variant=1", "program=1", "chaos_panic=1"} {
		key, val, _ := strings.Cut(o, "=")
		works[o] = func(in *Input) bool { return in.Options[key] == val }
	}
	inactiveOpts := []string{"tracks=v1a1", "via=h", "frames_timeout=5", "timeout=5", "connect_timeout=5", "headers=a", "output_audio=aac", "aac_ab=64k"}

	covered := map[string]bool{}
	for opt, check := range works {
		covered[inputKey(opt)] = true
		src := "stream a { input fake:// " + opt + "; }"
		s := mustParse(t, src)
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", src, err)
			continue
		}
		if !check(&s.Streams[0].Inputs[0]) {
			t.Errorf("%s: not in the model: %+v", src, s.Streams[0].Inputs[0])
		}
		if n := s.Inactive(); len(n) != 0 {
			t.Errorf("%s: works, yet reported %v", src, n)
		}
	}
	for _, opt := range inactiveOpts {
		key := inputKey(opt)
		covered[key] = true
		src := "stream a {\n  input fake:// " + opt + ";\n}"
		s := mustParse(t, src)
		n := s.Inactive()
		if len(n) != 1 || n[0].Key != key || n[0].Line != 2 || n[0].Col != 17 || !strings.HasPrefix(n[0].Why, "not built: ") {
			t.Errorf("%s: notices %v, want %s at 2:17 with a reason", src, n, key)
		}
		if a, b := modelJSON(t, s), modelJSON(t, mustParse(t, string(Print(s)))); a != b {
			t.Errorf("round trip differs\n%s\n%s", a, b)
		}
	}
	for key := range grammar {
		if strings.HasPrefix(key, "input ") && !strings.HasSuffix(key, "://") && !covered[key] {
			t.Errorf("%s: not in this table", key)
		}
	}
}

// inputKey is the grammar key of an input option as written.
func inputKey(opt string) string {
	if k, _, ok := strings.Cut(opt, "="); ok {
		return "input " + k + "="
	}
	return "input " + opt
}
