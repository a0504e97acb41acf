package config

import (
	"fmt"
	"strconv"
	"strings"
)

// Validate checks what the parser and the JSON decoder cannot: names,
// references between objects, ranges the schema states. It returns every
// problem as an ErrorList (nil when there is none); each names the file
// position of the offending object when it came from config text, and its
// JSON pointer always.
func (s *Server) Validate() error {
	v := validator{s: s}
	v.server()
	v.protection()
	v.eventSinks()
	v.dvrs()
	v.templates()
	v.streams()
	v.srtPorts()
	v.names()
	v.vods()
	v.allRaw()
	v.refuseUnbuilt()
	return v.errs.err()
}

type validator struct {
	s    *Server
	errs ErrorList
}

// add records a problem at ptr, positioned at p when p is known, else at
// the position recorded for ptr by the parser.
func (v *validator) add(p position, ptr, format string, args ...any) {
	if !p.known() {
		p = v.s.pos[ptr]
	}
	v.errs = append(v.errs, errorAt(p, ptr, format, args...))
}

func (v *validator) server() {
	s := v.s
	for _, g := range s.Listeners.groups() {
		for i, ln := range g.list {
			ptr := fmt.Sprintf("/listeners/%s/%d", g.name, i)
			v.port(ptr, ln.Port)
			v.listenTLS(g.name, ptr, ln)
		}
	}
	if s.SRT != nil {
		v.port("/srt", s.SRT.Port)
	}
	if s.Loglevel != "" {
		for l := range strings.SplitSeq(s.Loglevel, ",") {
			if !validLoglevel(l) {
				v.add(position{}, "/loglevel", "unknown loglevel %q; want one of %s", l, strings.Join(loglevels, ", "))
			}
		}
	}
	for i, p := range s.Peers {
		if p.Hostname == "" {
			v.add(position{}, fmt.Sprintf("/peers/%d/hostname", i), "peer without a hostname")
		}
	}
	for i, src := range s.Sources {
		if src.URL == "" {
			v.add(position{}, fmt.Sprintf("/sources/%d/url", i), "source without a HOST[:PORT]")
		}
		if src.ClusterKey == "" && s.ClusterKey == "" {
			v.add(position{}, fmt.Sprintf("/sources/%d", i), "source without cluster_key: the source refuses pulls without the key's proof")
		}
	}
	v.clusterKey()
}

// clusterKey fails closed: a node in a cluster (peers or etcd) needs the
// key every call between nodes proves, and the cluster has one key, so a
// peer's own cluster_key may only repeat it.
func (v *validator) clusterKey() {
	s := v.s
	switch {
	case s.ClusterKey == "" && len(s.ClusterEtcd) > 0:
		v.add(position{}, "/cluster_etcd", "cluster_etcd without cluster_key: the nodes would talk unauthenticated")
	case s.ClusterKey == "" && len(s.Peers) > 0:
		v.add(position{}, "/peers/0", "peer without cluster_key: the nodes would talk unauthenticated")
	}
	for i, p := range s.Peers {
		ptr := fmt.Sprintf("/peers/%d", i)
		if p.ClusterKey != "" && p.ClusterKey != s.ClusterKey {
			v.add(position{}, ptr+"/cluster_key", "a peer's cluster_key differs from cluster_key: a cluster has one key")
		}
		if p.FetchTimeout < 0 || p.StaleTimeout < 0 {
			v.add(position{}, ptr, "negative fetch_timeout or stale_timeout")
		}
		if p.CPULimit < 0 || p.CPULimit > 100 || p.ChannelLimit < 0 {
			v.add(position{}, ptr, "cpu_limit is a percentage (0..100) and channel_limit a number of streams")
		}
	}
	v.clusterTLS()
}

// clusterTLS fails closed: the cluster runs over TLS between every two
// nodes or between none, so the peer lines agree on https (their
// api_url and private_payload_url), and a node of a TLS cluster has an
// https listener whose certificate it presents to the others.
func (v *validator) clusterTLS() {
	s := v.s
	if len(s.Peers) == 0 {
		return
	}
	want := s.ClusterTLS()
	for i, p := range s.Peers {
		ptr := fmt.Sprintf("/peers/%d", i)
		if peerTLS(p) != want {
			v.add(position{}, ptr, "peers mix TLS and plain HTTP: peer %s's API is %s, peer %s's is %s; "+
				"a cluster runs over TLS between all its nodes or none (api_url https://...)",
				s.Peers[0].Hostname, schemeOf(want), p.Hostname, schemeOf(!want))
		}
		if u := p.PrivatePayloadURL; u != "" && strings.HasPrefix(strings.ToLower(u), "https://") != want {
			v.add(position{}, ptr+"/private_payload_url",
				"private_payload_url %q: the cluster's API is %s, its media pulls must be too", u, schemeOf(want))
		}
	}
	if want && (s.Listeners == nil || len(s.Listeners.HTTPS) == 0) {
		v.add(position{}, "/peers/0/api_url",
			"a cluster over TLS needs an https listener here: its certificate is the one this node presents to the others")
	}
}

func schemeOf(tls bool) string {
	if tls {
		return "https"
	}
	return "http"
}

// port checks a listening port. 0 is allowed: the schema's network_port
// has minimum 0, and it asks the system for a free port, which tests use.
func (v *validator) port(ptr string, port int) {
	if port < 0 || port > 65535 {
		v.add(position{}, ptr, "port %d out of range 0..65535", port)
	}
}

// loglevels is the schema's loglevel enum.
var loglevels = []string{"none", "debug", "info", "notice", "warning", "error", "alert", "critical"}

func validLoglevel(l string) bool {
	for _, x := range loglevels {
		if l == x {
			return true
		}
	}
	return false
}

func (v *validator) dvrs() {
	seen := map[string]bool{}
	for i := range v.s.DVRs {
		d := &v.s.DVRs[i]
		ptr := "/dvrs/" + strconv.Itoa(i)
		switch {
		case d.Name == "":
			v.add(d.pos, ptr+"/name", "dvr without a name")
		case seen[d.Name]:
			v.add(d.pos, ptr+"/name", "duplicate dvr %q", d.Name)
		case strings.ContainsAny(d.Name, " \t\r\n/@"):
			v.add(d.pos, ptr+"/name", "bad dvr name %q: no spaces, '/' or '@'", d.Name)
		}
		seen[d.Name] = true
		if d.Root == "" && len(d.Disks) == 0 {
			v.add(d.pos, ptr+"/root", "dvr %q needs a root", d.Name)
		}
		v.limits(d.pos, ptr, d.DVRLimits)
	}
}

func (v *validator) limits(p position, ptr string, l DVRLimits) {
	if l.Expiration < 0 {
		v.add(p, ptr+"/expiration", "expiration %d is negative", l.Expiration)
	}
	if l.StorageLimit < 0 {
		v.add(p, ptr+"/storage_limit", "storage_limit %d is negative", l.StorageLimit)
	}
	if l.DiskUsageLimit < 0 || l.DiskUsageLimit > 100 {
		v.add(p, ptr+"/disk_usage_limit", "disk_usage_limit %d%% out of range 0..100", l.DiskUsageLimit)
	}
}

func (v *validator) templates() {
	seen := map[string]bool{}
	for i := range v.s.Templates {
		t := &v.s.Templates[i]
		ptr := "/templates/" + strconv.Itoa(i)
		if err := checkMediaName(t.Name); err != "" {
			v.add(t.pos, ptr+"/name", "template %s", err)
		} else if seen[t.Name] {
			v.add(t.pos, ptr+"/name", "duplicate template %q", t.Name)
		}
		seen[t.Name] = true
		v.media(t.pos, ptr, &t.MediaOptions)
	}
}

func (v *validator) streams() {
	seen := make(map[string]bool, len(v.s.Streams))
	for i := range v.s.Streams {
		st := &v.s.Streams[i]
		ptr := "/streams/" + strconv.Itoa(i)
		if err := checkMediaName(st.Name); err != "" {
			v.add(st.pos, ptr+"/name", "stream %s", err)
		} else if seen[st.Name] {
			v.add(st.pos, ptr+"/name", "duplicate stream %q", st.Name)
		}
		seen[st.Name] = true
		if st.Template != "" {
			if _, ok := v.s.Template(st.Template); !ok {
				v.add(st.pos, ptr+"/template", "stream %q uses unknown template %q", st.Name, st.Template)
			}
		}
		v.media(st.pos, ptr, &st.MediaOptions)
	}
}

// checkMediaName returns why name is not a valid media_name, or "".
// Stream names are URL paths: /NAME/index.m3u8, rtmp://host/NAME.
func checkMediaName(name string) string {
	switch {
	case name == "":
		return "name is empty"
	case strings.HasPrefix(name, "/"), strings.HasSuffix(name, "/"):
		return fmt.Sprintf("name %q starts or ends with '/'", name)
	case strings.Contains(name, ".."), strings.Contains(name, "//"):
		return fmt.Sprintf("name %q contains '..' or '//'", name)
	}
	for _, r := range name {
		if r <= ' ' || r == 0x7f || strings.ContainsRune(`"\?#`, r) {
			return fmt.Sprintf("name %q contains %q", name, r)
		}
	}
	return ""
}
