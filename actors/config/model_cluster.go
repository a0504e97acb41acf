package config

import "strings"

// Source is source_config, from the `source HOST[:PORT] { ... }`
// directive: a server whose streams this node restreams (Flussonic's
// cluster restreaming). It is not a cluster member: this node learns the
// source's streams from its HTTP port, as from a peer's, and serves those
// that Only and Except let through as relays.
type Source struct {
	// URL is the source's HOST[:PORT] (its HTTP port).
	URL string `json:"url"`
	// Only lists the streams to take (names, or `prefix/*`); empty: all.
	Only []string `json:"only,omitempty"`
	// Except lists streams not to take, over Only.
	Except []string `json:"except,omitempty"`
	// ClusterKey replaces the global cluster_key toward this source.
	ClusterKey string `json:"cluster_key,omitempty"`
	// Raw are the source's directives kept as text (raw.go).
	Raw []RawDirective `json:"raw_directives,omitempty"`
}

func (s Source) clone() Source {
	s.Only = append([]string(nil), s.Only...)
	s.Except = append([]string(nil), s.Except...)
	s.Raw = append([]RawDirective(nil), s.Raw...)
	return s
}

func (s *Source) rawLevel() string         { return "source " }
func (s *Source) rawList() *[]RawDirective { return &s.Raw }

// Takes reports whether the source's stream name is restreamed here:
// Except wins over Only, and an empty Only takes everything.
func (s *Source) Takes(name string) bool {
	if matchAny(s.Except, name) {
		return false
	}
	return len(s.Only) == 0 || matchAny(s.Only, name)
}

// matchAny reports whether name is one of patterns: a name, or
// `prefix/*` for every stream under prefix/.
func matchAny(patterns []string, name string) bool {
	for _, p := range patterns {
		if p == name {
			return true
		}
		if prefix, ok := cutStar(p); ok && len(name) > len(prefix) && name[:len(prefix)] == prefix {
			return true
		}
	}
	return false
}

// cutStar returns "prefix/" of "prefix/*".
func cutStar(p string) (string, bool) {
	if len(p) < 2 || p[len(p)-2:] != "/*" {
		return "", false
	}
	return p[:len(p)-1], true
}

// PutPeer is PutStream for peers (PUT /cluster/peers/{hostname}):
// peer_config, keyed by hostname.
type PutPeer struct {
	Hostname string
	Patch    []byte
}

// DeletePeer removes peer Hostname (DELETE /cluster/peers/{hostname}).
type DeletePeer struct{ Hostname string }

// PutSource is PutStream for sources (PUT /cluster/sources/{url}):
// source_config, keyed by url.
type PutSource struct {
	URL   string
	Patch []byte
}

// DeleteSource removes source URL (DELETE /cluster/sources/{url}).
type DeleteSource struct{ URL string }

// Apply creates or updates the peer.
func (c PutPeer) Apply(s *Server) error {
	return errOrValidate(s, putNamed(&s.Peers, "peer", c.Hostname, c.Patch, peerName))
}

// Apply removes the peer, or returns ErrNotFound.
func (c DeletePeer) Apply(s *Server) error {
	return errOrValidate(s, deleteNamed(&s.Peers, "peer", c.Hostname, peerName))
}

// Apply creates or updates the source.
func (c PutSource) Apply(s *Server) error {
	return errOrValidate(s, putNamed(&s.Sources, "source", c.URL, c.Patch, sourceURL))
}

// Apply removes the source, or returns ErrNotFound.
func (c DeleteSource) Apply(s *Server) error {
	return errOrValidate(s, deleteNamed(&s.Sources, "source", c.URL, sourceURL))
}

func peerName(x *Peer) *string    { return &x.Hostname }
func sourceURL(x *Source) *string { return &x.URL }

// ClusterTLS reports whether the cluster runs over TLS: its peer lines
// name their HTTP ports by https:// (api_url). Validate refuses a
// configuration whose peer lines mix https and plain HTTP.
func (s *Server) ClusterTLS() bool {
	return len(s.Peers) > 0 && peerTLS(s.Peers[0])
}

// peerTLS reports whether peer p's API is https.
func peerTLS(p Peer) bool { return strings.HasPrefix(strings.ToLower(p.APIURL), "https://") }
