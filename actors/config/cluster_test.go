package config

import (
	"strings"
	"testing"
)

// A cluster without its key is refused at the line that makes it one.
func TestClusterNeedsItsKey(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{"http 80;\npeer h;\n", "c.conf:2:1: peer without cluster_key"},
		{"http 80;\n cluster_etcd http://e:2379;\n", "c.conf:2:2: cluster_etcd without cluster_key"},
		{"cluster_key a;\npeer h { cluster_key b; }\n", "c.conf:2:10: a peer's cluster_key differs"},
		{"cluster_key a;\npeer h { fetch_timeout -1; }\n", "c.conf:2:1: negative fetch_timeout"},
		{"cluster_key a;\npeer h { cpu_limit 101; }\n", "c.conf:2:1: cpu_limit is a percentage"},
		{"cluster_key a;\npeer h { channel_limit -1; }\n", "c.conf:2:1: cpu_limit is a percentage"},
	} {
		s, err := Parse("c.conf", []byte(tt.src))
		if err == nil {
			err = s.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.src, err, tt.want)
		}
	}
	s, err := Parse("c.conf", []byte("cluster_key a;\npeer h:81 { cluster_key a; fetch_timeout 500; cpu_limit 80; channel_limit 20; }\ncluster_etcd http://e:2379;\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if p := s.Peers[0]; p.Hostname != "h:81" || p.FetchTimeout != 500 || p.CPULimit != 80 || p.ChannelLimit != 20 || s.ClusterEtcd[0] != "http://e:2379" {
		t.Errorf("parsed %+v %v", p, s.ClusterEtcd)
	}
	if out := string(Print(s)); !strings.Contains(out, "cpu_limit 80;") || !strings.Contains(out, "channel_limit 20;") {
		t.Errorf("printed without the limits:\n%s", out)
	}
}

// A cluster runs over TLS between all its nodes or none: peer lines that
// mix https and plain HTTP are refused at the line that differs, and a
// TLS cluster needs the https listener whose certificate a node presents.
func TestClusterTLSAllOrNothing(t *testing.T) {
	const tlsPeer = "peer a:443 { api_url https://a:443; }\n"
	for _, tt := range []struct{ src, want string }{
		{"https 443;\ncluster_key k;\n" + tlsPeer + "peer b:80;\n", "c.conf:4:1: peers mix TLS and plain HTTP"},
		{"https 443;\ncluster_key k;\npeer b:80;\n" + tlsPeer, "c.conf:4:1: peers mix TLS and plain HTTP"},
		{"http 80;\ncluster_key k;\n" + tlsPeer, "c.conf:3:14: a cluster over TLS needs an https listener"},
		{
			"https 443;\ncluster_key k;\npeer a:443 { api_url https://a:443; private_payload_url http://a:80; }\n",
			"c.conf:3:37: private_payload_url \"http://a:80\"",
		},
	} {
		s, err := Parse("c.conf", []byte(tt.src))
		if err == nil {
			err = s.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.src, err, tt.want)
		}
	}
	for src, want := range map[string]bool{
		"https 443;\ncluster_key k;\n" + tlsPeer + "peer b:443 { api_url HTTPS://b:443; }\n": true,
		"http 80;\ncluster_key k;\npeer a:80;\npeer b:80 { api_url http://b:80; }\n":         false,
	} {
		s, err := Parse("c.conf", []byte(src))
		if err == nil {
			err = s.Validate()
		}
		if err != nil || s.ClusterTLS() != want {
			t.Errorf("%q: %v, TLS %v", src, err, s.ClusterTLS())
		}
	}
}
