package remote

import (
	"strings"

	"streamhive/actors/cluster"
	"streamhive/actors/config"
)

// Balancer decides when a viewer is sent to another member instead of
// being served here (Flussonic's peering redirects viewers to the server
// that has the stream; its balancer picks the least loaded one).
//
// The rule: a request is redirected only when this node is over its
// Limit and another member that runs the stream itself (Member.Streams,
// not a relay of it) is under the limit; the least loaded such member
// gets it. Otherwise it is served here, through a relay when the stream
// runs elsewhere: with no Limit (the default) nothing is ever redirected
// and any node serves any stream. HLS and DASH manifests get a 302, WHEP
// offers a 307 (the POST and its body must be repeated); segments are not
// redirected, since they follow the manifest's node.
type Balancer struct {
	View cluster.View
	// Peers returns the `peer` lines in effect: a member whose line has
	// public_payload_url is sent there, else to its API URL.
	Peers func() []config.Peer
	Limit Limit
}

// Limit is the load over which a node sends viewers away; zero fields
// are no limit.
type Limit struct {
	CPU     float64 // share of the machine, 0..1
	Clients int     // viewer sessions
}

// over reports whether l reaches the limit.
func (lim Limit) over(l cluster.Load) bool {
	return (lim.CPU > 0 && l.CPU >= lim.CPU) || (lim.Clients > 0 && l.Clients >= lim.Clients)
}

func (lim Limit) set() bool { return lim.CPU > 0 || lim.Clients > 0 }

// Redirect returns the base URL ("http://b.example:8081") of the member
// that should serve stream name instead of this node; false: serve here.
// It reads the view's snapshot and never waits.
func (b *Balancer) Redirect(name string) (string, bool) {
	if b == nil || b.View == nil || !b.Limit.set() || !b.Limit.over(b.View.Self().Load) {
		return "", false
	}
	var under []cluster.Member
	for _, m := range Holders(b.View.Members(), b.View.Self().ID, name) {
		if !b.Limit.over(m.Load) {
			under = append(under, m)
		}
	}
	m, ok := LeastLoaded(under)
	if !ok {
		return "", false
	}
	base := b.publicURL(m)
	return base, base != ""
}

// publicURL is where viewers reach m: its peer line's
// public_payload_url, else the line's api_url (m.API may be the line's
// private_payload_url, for other nodes only), else its API URL.
func (b *Balancer) publicURL(m cluster.Member) string {
	if b.Peers != nil {
		for _, p := range b.Peers() {
			switch {
			case p.Hostname != m.Name:
			case p.PublicPayloadURL != "":
				return withScheme(p.PublicPayloadURL)
			case p.APIURL != "":
				return withScheme(p.APIURL)
			}
		}
	}
	return m.API
}

// withScheme adds http:// to a bare host[:port] (Flussonic's `public`
// took a hostname).
func withScheme(u string) string {
	u = strings.TrimSuffix(u, "/")
	if strings.Contains(u, "://") {
		return u
	}
	return "http://" + u
}
