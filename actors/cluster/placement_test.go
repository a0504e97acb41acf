package cluster

import (
	"fmt"
	"testing"

	"streamhive/actors/config"
)

func member(name string, captures ...string) Member {
	return Member{ID: "id-" + name, Name: name, API: "http://" + name, Captures: captures}
}

// top is the member with the highest score for stream among names.
func top(stream string, names ...string) string {
	var ms []Member
	for _, n := range names {
		ms = append(ms, member(n))
	}
	m, _ := best(stream, ms, func(*Member) bool { return true })
	return m.Name
}

// others are the names among all that are not name.
func others(name string, all ...string) []string {
	var out []string
	for _, n := range all {
		if n != name {
			out = append(out, n)
		}
	}
	return out
}

func TestOwner(t *testing.T) {
	nodes := []string{"a:80", "b:80", "c:80"}
	win := top("cam", nodes...)
	lose := others(win, nodes...)
	tests := []struct {
		name      string
		captureAt string
		members   []Member
		want      string // "" for none
	}{
		{"nobody alive", "", nil, ""},
		{"one member", "", []Member{member("a:80")}, "a:80"},
		{"no claim: highest score", "", []Member{member("a:80"), member("b:80"), member("c:80")}, win},
		{"order does not matter", "", []Member{member("c:80"), member("a:80"), member("b:80")}, win},
		{
			"a claimant keeps it against a higher score (sticky on join and return)", "",
			[]Member{member(win), member(lose[0], "cam"), member(lose[1])},
			lose[0],
		},
		{
			"a claim of another stream is no claim", "",
			[]Member{member(win), member(lose[0], "other"), member(lose[1])},
			win,
		},
		{
			"two claimants (a healed partition): the higher score keeps it", "",
			[]Member{member(win, "cam"), member(lose[0], "cam"), member(lose[1])},
			win,
		},
		{
			"two claimants, neither the top: the higher of the two", "",
			[]Member{member(win), member(lose[0], "cam"), member(lose[1], "cam")},
			top("cam", lose...),
		},
		{"capture_at by name", "b:80", []Member{member("a:80"), member("b:80"), member("c:80")}, "b:80"},
		{"capture_at by host part", "c", []Member{member("a:80"), member("b:80"), member("c:80")}, "c:80"},
		{
			"capture_at's member is down: highest score", "d",
			[]Member{member("a:80"), member("b:80"), member("c:80")},
			win,
		},
		{
			"a claim beats capture_at (sticky once it moved)", "b:80",
			[]Member{member("a:80", "cam"), member("b:80"), member("c:80")},
			"a:80",
		},
		{
			"capture_at matching several hosts: the highest score of them", "h",
			[]Member{member("h:1"), member("h:2"), member("x:1")},
			top("cam", "h:1", "h:2"),
		},
		{
			"capture_at by name before host part", "h:2",
			[]Member{member("h:1"), member("h:2"), member("h")},
			"h:2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Owner("cam", tt.captureAt, tt.members)
			if tt.want == "" {
				if ok {
					t.Fatalf("owner %q, want none", got.Name)
				}
				return
			}
			if !ok || got.Name != tt.want {
				t.Fatalf("owner %q (%v), want %q", got.Name, ok, tt.want)
			}
		})
	}
}

// TestOwnerSpreads: with no claims and no capture_at, streams spread over
// the members (rendezvous hashing), and losing a member moves only its
// own streams.
func TestOwnerSpreads(t *testing.T) {
	all := []Member{member("a:80"), member("b:80"), member("c:80")}
	per := map[string]int{}
	moved := 0
	for i := range 300 {
		name := fmt.Sprintf("cam%d", i)
		m, _ := Owner(name, "", all)
		per[m.Name]++
		after, _ := Owner(name, "", all[:2])
		if m.Name != "c:80" && after.Name != m.Name {
			moved++
		}
	}
	for _, n := range []string{"a:80", "b:80", "c:80"} {
		if per[n] < 70 {
			t.Errorf("%s owns %d of 300 streams: %v", n, per[n], per)
		}
	}
	if moved != 0 {
		t.Errorf("losing c moved %d streams of a and b", moved)
	}
}

func TestRelayConfig(t *testing.T) {
	on := true
	cfg := config.Stream{Name: "cams/door", Title: "Door", MediaOptions: config.MediaOptions{
		Static:        &on,
		Inputs:        []config.Input{{URL: "rtsp://cam/1"}},
		DVR:           &config.StreamDVR{Root: "/d"},
		Pushes:        []config.Push{{URL: "rtmp://cdn/a"}},
		Transcoder:    &config.Transcoder{},
		Protocols:     &config.Protocols{HLS: &on},
		OnPlay:        &config.AuthSpec{URL: "http://auth/"},
		ClusterIngest: &config.ClusterIngest{CaptureAt: "a"},
	}}
	r := RelayConfig(cfg, Member{Name: "a", API: "http://10.0.0.1:8081"})
	if r.Name != cfg.Name || r.Title != "Door" {
		t.Errorf("relay renamed: %+v", r)
	}
	if len(r.Inputs) != 1 || r.Inputs[0].URL != "m4f://10.0.0.1:8081/cams/door" {
		t.Errorf("relay inputs %+v, want m4f://10.0.0.1:8081/cams/door", r.Inputs)
	}
	if r.DVR != nil || r.Pushes != nil || r.Transcoder != nil || !r.OnDemand() {
		t.Errorf("relay keeps dvr %v, pushes %v, transcoder %v or is not on demand", r.DVR, r.Pushes, r.Transcoder)
	}
	if r.Protocols != cfg.Protocols || r.OnPlay != cfg.OnPlay || r.ClusterIngest == nil {
		t.Error("relay lost what viewers see (protocols, on_play) or cluster_ingest")
	}
	if cfg.DVR == nil || len(cfg.Inputs) != 1 || !*cfg.Static {
		t.Error("RelayConfig changed its argument")
	}
	// The scheme stays: an owner whose API is https is pulled over https.
	if r := RelayConfig(cfg, Member{Name: "a", API: "HTTPS://10.0.0.1:8443"}); r.Inputs[0].URL != "m4fs://10.0.0.1:8443/cams/door" {
		t.Errorf("relay of an https owner pulls %s, want m4fs://10.0.0.1:8443/cams/door", r.Inputs[0].URL)
	}
	if h := HeldConfig(cfg); h.Inputs != nil || h.DVR != nil || !h.OnDemand() {
		t.Errorf("held config %+v", h)
	}
}

func TestHolder(t *testing.T) {
	self := member("me:80", "cam")
	self.Self = true
	a, b := member("a:80"), member("b:80", "cam")
	a.Streams = []string{"cam"}
	if _, ok := Holder("cam", []Member{self}); ok {
		t.Error("this node holds for itself")
	}
	if m, ok := Holder("cam", []Member{self, a, b}); !ok || m.Name != top("cam", "a:80", "b:80") {
		t.Errorf("holder %q, want the higher score of a and b", m.Name)
	}
	if _, ok := Holder("other", []Member{self, a, b}); ok {
		t.Error("a holder of a stream nobody runs")
	}
}
