package remote_test

import (
	"context"
	"testing"
	"time"

	"streamhive/actors/cluster"
	"streamhive/gateway/remote"
)

// fixedSources are `source` lines' servers as cluster.Sources lists them.
type fixedSources []cluster.Member

func (s fixedSources) Members() []cluster.Member { return s }

// TestViewersRelayFromSource: on a node with `source` lines and no
// cluster, a stream a source offers gets a relay from that source; a
// stream the members run comes from the members first; a stream no one
// offers is not found.
func TestViewersRelayFromSource(t *testing.T) {
	origin := cluster.Member{ID: "o", Name: "origin:80", API: "http://origin:80", Streams: []string{"shared", "x"}}
	for _, tc := range []struct {
		what   string
		view   cluster.View
		stream string
		want   string
	}{
		{"source alone", nil, "x", "x@origin:80"},
		{"members first", threeNodes(), "shared", "shared@c:80"},
		{"members, then sources", threeNodes(), "x", "x@origin:80"},
		{"offered by none", nil, "y", ""},
	} {
		local := newLocal()
		relays := &fakeRelays{local: local}
		v := &remote.Viewers{Local: local, View: tc.view, Sources: fixedSources{origin}, Relays: relays}
		l, ok := v.Locate(tc.stream)
		if ok != (tc.want != "") {
			t.Errorf("%s: Locate(%s) found %v", tc.what, tc.stream, ok)
			continue
		}
		if !ok {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if _, err := l.Stream.Next(ctx, nil); err != nil {
			t.Errorf("%s: Next: %v", tc.what, err)
		}
		cancel()
		if relays.count() != 1 || relays.opens[0] != tc.want {
			t.Errorf("%s: opened %v, want %s", tc.what, relays.opens, tc.want)
		}
	}
}
