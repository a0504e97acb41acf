package config

import "testing"

func TestUnits(t *testing.T) {
	tests := []struct {
		name  string
		parse func(string) (int64, error)
		in    string
		want  int64
		print string // canonical form; "" means error expected
	}{
		{"duration bare", dur, "30", 30, "30"},
		{"duration s", dur, "30s", 30, "30"},
		{"duration m", dur, "5m", 300, "5m"},
		{"duration h", dur, "2h", 7200, "2h"},
		{"duration d", dur, "7d", 604800, "7d"},
		{"duration 90s stays seconds", dur, "90s", 90, "90"},
		{"duration 120 is 2m", dur, "120", 120, "2m"},
		{"duration zero", dur, "0", 0, "0"},
		{"duration negative", dur, "-5", 0, ""},
		{"duration empty", dur, "", 0, ""},
		{"duration unit only", dur, "d", 0, ""},
		{"duration fraction", dur, "1.5h", 0, ""},
		{"duration overflow", dur, "99999999999999999999d", 0, ""},
		{"duration overflow by unit", dur, "999999999999999999d", 0, ""},
		{"size G", ParseSize, "10G", 10 << 30, "10G"},
		{"size M", ParseSize, "500M", 500 << 20, "500M"},
		{"size T", ParseSize, "1T", 1 << 40, "1T"},
		{"size K lower", ParseSize, "64k", 64 << 10, "64K"},
		{"size 1024M is 1G", ParseSize, "1024M", 1 << 30, "1G"},
		{"size bytes", ParseSize, "1000", 1000, "1000"},
		{"size bad", ParseSize, "10GB", 0, ""},
		{"bitrate k", br, "4000k", 4000000, "4000k"},
		{"bitrate m", br, "4m", 4000000, "4000k"},
		{"bitrate bare", br, "128500", 128500, "128500"},
		{"bitrate bad", br, "4kb", 0, ""},
		{"percent", pct, "80%", 80, ""},
		{"percent bare", pct, "80", 80, ""},
		{"seconds", secs, "4", 4000, "4"},
		{"seconds fraction", secs, "1.5", 1500, "1.5"},
		{"seconds millis", secs, "0.125", 125, "0.125"},
		{"seconds too precise", secs, "1.2345", 0, ""},
		{"seconds trailing dot", secs, "1.", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.parse(tt.in)
			wantErr := tt.print == "" && tt.want == 0
			if (err != nil) != wantErr {
				t.Fatalf("%q: err %v, want error %v", tt.in, err, wantErr)
			}
			if got != tt.want {
				t.Errorf("%q: got %d want %d", tt.in, got, tt.want)
			}
			if tt.print == "" {
				return
			}
			var p string
			switch tt.name[:3] {
			case "dur":
				p = FormatDuration(int(got))
			case "siz":
				p = FormatSize(got)
			case "bit":
				p = FormatBitrate(int(got))
			case "sec":
				p = formatSeconds(int(got))
			}
			if p != tt.print {
				t.Errorf("format %d: got %q want %q", got, p, tt.print)
			}
		})
	}
}

func dur(s string) (int64, error)  { n, err := ParseDuration(s); return int64(n), err }
func br(s string) (int64, error)   { n, err := ParseBitrate(s); return int64(n), err }
func pct(s string) (int64, error)  { n, err := ParsePercent(s); return int64(n), err }
func secs(s string) (int64, error) { n, err := parseSeconds(s); return int64(n), err }

func TestLevenshtein(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"strem", "stream", 1}, {"kitten", "sitting", 3}, {"abc", "", 3}} {
		if got := levenshtein(tt.a, tt.b); got != tt.d {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}
