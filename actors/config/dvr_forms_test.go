package config

import "testing"

// TestStreamDVRForms: the words after a dvr line's root are told apart by
// their unit, in any order, and print back to the same model.
func TestStreamDVRForms(t *testing.T) {
	const g = 1 << 30
	tests := []struct {
		src  string
		want StreamDVR
	}{
		{"dvr /s 10G", StreamDVR{Root: "/s", DVRLimits: DVRLimits{StorageLimit: 10 * g}}},
		{"dvr /s 7d 10G 80%", StreamDVR{Root: "/s", DVRLimits: DVRLimits{Expiration: 7 * 86400, StorageLimit: 10 * g, DiskUsageLimit: 80}}},
		{"dvr /s 80% 10G 7d", StreamDVR{Root: "/s", DVRLimits: DVRLimits{Expiration: 7 * 86400, StorageLimit: 10 * g, DiskUsageLimit: 80}}},
		{"dvr /s 30m 500M", StreamDVR{Root: "/s", DVRLimits: DVRLimits{Expiration: 1800, StorageLimit: 500 << 20}}},
		{"dvr /s 3600 1000", StreamDVR{Root: "/s", DVRLimits: DVRLimits{Expiration: 3600, StorageLimit: 1000}}},
		{"dvr /s 1t", StreamDVR{Root: "/s", DVRLimits: DVRLimits{StorageLimit: 1 << 40}}},
		{"dvr @arch 2h storage_limit=1000", StreamDVR{Reference: "arch", DVRLimits: DVRLimits{Expiration: 7200, StorageLimit: 1000}}},
		{"dvr /s copy=/opt/movies", StreamDVR{Root: "/s", DVRLimits: DVRLimits{DVRKept: DVRKept{Copy: "/opt/movies"}}}},
		{"dvr /s 7d replicate replication_port=8002", StreamDVR{Root: "/s", DVRLimits: DVRLimits{
			Expiration: 7 * 86400, DVRKept: DVRKept{Replicate: true, ReplicationPort: 8002},
		}}},
		{"dvr /s episodes_expiration=30d", StreamDVR{Root: "/s", DVRLimits: DVRLimits{DVRKept: DVRKept{EpisodesExpiration: 30 * 86400}}}},
	}
	for _, tt := range tests {
		s := mustParse(t, "stream a { input fake://; "+tt.src+"; }")
		got := s.Streams[0].DVR
		if !got.equal(&tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.src, *got, tt.want)
		}
		back := mustParse(t, string(Print(s)))
		if !back.Streams[0].EqualConfig(&s.Streams[0]) {
			t.Errorf("%s: printed as %s, reads back differently", tt.src, Print(s))
		}
	}
}

// TestStreamShortForm: `stream NAME URL;` is a stream with that one input;
// a URL on the next line is a missing ';', not a short form.
func TestStreamShortForm(t *testing.T) {
	s := mustParse(t, "stream a udp://239.0.0.1:1234 priority=1;\nstream b rtmp://h/b { dvr /s 1d; }")
	if in := s.Streams[0].Inputs; len(in) != 1 || in[0].URL != "udp://239.0.0.1:1234" || *in[0].Priority != 1 {
		t.Errorf("short form: %+v", in)
	}
	if b := s.Streams[1]; len(b.Inputs) != 1 || b.DVR == nil {
		t.Errorf("short form with a block: %+v", b)
	}
	_, err := Parse("f.conf", []byte("stream a\nfake://x;"))
	if err == nil || err.Error() != "f.conf:1:9: expected ';' after stream a" {
		t.Errorf("URL on the next line: %v", err)
	}
}
