package cluster

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeNet answers probes from a table the test edits: a peer line's
// NodeInfo, or the error its probe gets.
type fakeNet struct {
	mu      sync.Mutex
	answers map[string]NodeInfo
	errs    map[string]error
}

func (f *fakeNet) probe(_ context.Context, p Peer) (NodeInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.errs[p.Name]; err != nil {
		return NodeInfo{}, err
	}
	if i, ok := f.answers[p.Name]; ok {
		return i, nil
	}
	return NodeInfo{}, errors.New("connection refused")
}

func (f *fakeNet) set(name string, info NodeInfo, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil {
		delete(f.answers, name)
		f.errs[name] = err
		return
	}
	delete(f.errs, name)
	f.answers[name] = info
}

type testProvider struct {
	*provider
	net        *fakeNet
	log        *bytes.Buffer
	topologies [][]Member
}

func newTestProvider(names ...string) *testProvider {
	t := &testProvider{net: &fakeNet{answers: map[string]NodeInfo{}, errs: map[string]error{}}, log: &bytes.Buffer{}}
	var peers []Peer
	for _, n := range names {
		peers = append(peers, Peer{Name: n, URL: "http://" + n})
	}
	p := newProvider(t.net.probe, 0, slog.New(slog.NewTextHandler(t.log, nil)), peers)
	self := Member{ID: "self-id", Name: "127.0.0.1:80", Address: "127.0.0.1:9000"}
	p.self = func() Member { return self }
	p.view = newView(self)
	p.topology = func(ms []Member) { t.topologies = append(t.topologies, ms) }
	p.prepare()
	t.provider = p
	return t
}

func (t *testProvider) ids() string {
	var ids []string
	for _, m := range t.view.Members() {
		ids = append(ids, m.ID)
	}
	return strings.Join(ids, ",")
}

func info(id, addr string) NodeInfo {
	return NodeInfo{ID: id, Address: addr, API: "http://" + addr}
}

func TestProviderDropsAPeerOnlyAfterThreeMisses(t *testing.T) {
	p := newTestProvider("a:80", "b:80")
	p.net.set("a:80", info("a-id", "10.0.0.1:9000"), nil)
	p.net.set("b:80", info("b-id", "10.0.0.2:9000"), nil)
	p.round(context.Background())
	if got := p.ids(); got != "a-id,b-id,self-id" {
		t.Fatalf("members %s", got)
	}
	p.net.set("b:80", NodeInfo{}, errors.New("timeout"))
	for i := 1; i < maxMisses; i++ {
		p.round(context.Background())
		if got := p.ids(); got != "a-id,b-id,self-id" {
			t.Fatalf("after %d misses: members %s", i, got)
		}
	}
	p.round(context.Background())
	if got := p.ids(); got != "a-id,self-id" {
		t.Fatalf("after %d misses: members %s", maxMisses, got)
	}
	if !strings.Contains(p.log.String(), "peer dropped") {
		t.Errorf("log: %s", p.log)
	}
	last := p.topologies[len(p.topologies)-1]
	if len(last) != 2 || !last[1].Self {
		t.Errorf("last topology %+v", last)
	}
	// A miss then an answer starts the count again.
	p.net.set("a:80", NodeInfo{}, errors.New("timeout"))
	p.round(context.Background())
	p.net.set("a:80", info("a-id", "10.0.0.1:9000"), nil)
	p.round(context.Background())
	p.net.set("a:80", NodeInfo{}, errors.New("timeout"))
	p.round(context.Background())
	p.round(context.Background())
	if got := p.ids(); got != "a-id,self-id" {
		t.Fatalf("misses not in a row dropped a: %s", got)
	}
}

func TestProviderNamesItselfByThePeerLineThatReachesIt(t *testing.T) {
	p := newTestProvider("me.example:80", "a:80")
	p.net.set("me.example:80", info("self-id", "127.0.0.1:9000"), nil)
	p.net.set("a:80", info("a-id", "10.0.0.1:9000"), nil)
	p.round(context.Background())
	if got := p.ids(); got != "a-id,self-id" {
		t.Fatalf("members %s", got)
	}
	if s := p.view.Self(); s.Name != "me.example:80" || !s.Self {
		t.Errorf("self %+v", s)
	}
	for _, m := range p.view.Members() {
		if m.ID == "a-id" && (m.Name != "a:80" || m.Address != "10.0.0.1:9000" || m.Self) {
			t.Errorf("a %+v", m)
		}
	}
}

func TestProviderLogsAKeyRefusalOnce(t *testing.T) {
	p := newTestProvider("a:80")
	p.net.set("a:80", NodeInfo{}, ErrKeyRefused)
	for range 5 {
		p.round(context.Background())
	}
	if n := strings.Count(p.log.String(), "peer a:80 refused our cluster_key"); n != 1 {
		t.Errorf("%d refusal lines: %s", n, p.log)
	}
	if got := p.ids(); got != "self-id" {
		t.Errorf("members %s", got)
	}
}

func TestProviderTakesARestartedPeerAsANewMember(t *testing.T) {
	p := newTestProvider("a:80")
	p.net.set("a:80", info("a-1", "10.0.0.1:9000"), nil)
	p.round(context.Background())
	p.net.set("a:80", info("a-2", "10.0.0.1:9000"), nil)
	p.round(context.Background())
	if got := p.ids(); got != "a-2,self-id" {
		t.Fatalf("members %s", got)
	}
}

func TestProviderReloadKeepsKeptPeers(t *testing.T) {
	p := newTestProvider("a:80", "b:80")
	p.net.set("a:80", info("a-id", "10.0.0.1:9000"), nil)
	p.net.set("b:80", info("b-id", "10.0.0.2:9000"), nil)
	p.round(context.Background())
	p.SetPeers([]Peer{{Name: "a:80", URL: "http://a:80"}, {Name: "c:80", URL: "http://c:80"}})
	p.net.set("a:80", NodeInfo{}, errors.New("timeout")) // one miss: a stays
	p.round(context.Background())
	if got := p.ids(); got != "a-id,self-id" {
		t.Fatalf("members %s", got)
	}
}

func TestProtoMembersSkipBadAddresses(t *testing.T) {
	got := protoMembers([]Member{{ID: "a", Address: "10.0.0.1:9000"}, {ID: "b", Address: "nohost"}, {ID: "c", Address: "h:0"}})
	if len(got) != 1 || got[0].Host != "10.0.0.1" || got[0].Port != 9000 {
		t.Errorf("%v", got)
	}
}

// TestPayloadURL: a peer line's private_payload_url is where the others
// pull its media; a line without one leaves the API the node answered.
func TestPayloadURL(t *testing.T) {
	peers := []Peer{{Name: "a:81", URL: "http://a:81", Payload: "http://10.0.0.1:81"}, {Name: "b:82", URL: "http://b:82"}}
	got := withPayloads([]Member{{ID: "1", Name: "a:81", API: "http://a:81"}, {ID: "2", Name: "b:82", API: "http://b:82"}}, peers)
	if got[0].API != "http://10.0.0.1:81" || got[1].API != "http://b:82" {
		t.Errorf("APIs %q %q, want the payload URL for a and b's own", got[0].API, got[1].API)
	}
}

// TestProviderKeepsAPeersUptime: a probe answer's started_at and uptime
// are the member's, for peer stats.
func TestProviderKeepsAPeersUptime(t *testing.T) {
	p := newTestProvider("a:80")
	i := info("a-id", "10.0.0.1:9000")
	i.StartedAt, i.Uptime = 1_700_000_000, 42
	p.net.set("a:80", i, nil)
	p.round(context.Background())
	for _, m := range p.view.Members() {
		if m.ID == "a-id" && (m.Started.Unix() != 1_700_000_000 || m.Uptime != 42*time.Second) {
			t.Errorf("a: started %v, uptime %v", m.Started, m.Uptime)
		}
	}
}
