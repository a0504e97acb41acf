package sessions

import (
	"net/netip"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/actors/auth"
	"streamhive/media/mediatest"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestKnownSessionAsksOnce(t *testing.T) {
	p := &fakePolicy{}
	tab, _ := newTestTable(t, Options{Policies: fakePolicies{"cam1": p}})
	v := viewer("cam1", "abc")
	first := mustAllow(t, admit(t, tab, v))
	for range 5 {
		if tk := mustAllow(t, admit(t, tab, v)); tk != first {
			t.Fatalf("a known viewer got another session %s, want %s", tk.ID(), first.ID())
		}
	}
	asks := p.requests()
	if len(asks) != 1 {
		t.Fatalf("backend asked %d times, want 1", len(asks))
	}
	r := asks[0]
	if r.Type != auth.NewSession || r.Number != 0 || r.SessionID != first.ID() || r.Name != "cam1" ||
		r.Proto != "hls" || r.Token != "abc" || r.QS != "token=abc" || r.UserAgent != "ffmpeg" ||
		r.Referer != "http://portal/" || r.StreamClients != 0 || r.TotalClients != 0 {
		t.Errorf("request %+v", r)
	}
	if !uuidRE.MatchString(first.ID()) {
		t.Errorf("session id %q is not a UUID", first.ID())
	}
	mustAllow(t, admit(t, tab, viewer("cam1", "other")))
	if r := p.requests()[1]; r.StreamClients != 1 || r.TotalClients != 1 {
		t.Errorf("second session's request: stream_clients %d total_clients %d, want 1 1", r.StreamClients, r.TotalClients)
	}
	if tab.Clients("cam1") != 2 || tab.Total() != 2 {
		t.Errorf("clients %d total %d, want 2 2", tab.Clients("cam1"), tab.Total())
	}
}

func TestUnprotectedIsAccounted(t *testing.T) {
	tab, _ := newTestTable(t, Options{})
	v := viewer("free", "")
	v.Query = ""
	a := admit(t, tab, v)
	tk := mustAllow(t, a)
	if a.ChildQuery != "" {
		t.Errorf("child query %q for an unprotected viewer without a query, want none", a.ChildQuery)
	}
	if got, ok := tab.Get(tk.ID()); !ok || got.Stream != "free" || got.Token != "" {
		t.Errorf("Get: %+v %v", got, ok)
	}
}

func TestSessionKeys(t *testing.T) {
	p := &fakePolicy{}
	tab, _ := newTestTable(t, Options{Policies: fakePolicies{"cam1": p}})
	base := viewer("cam1", "abc")
	tk := mustAllow(t, admit(t, tab, base))
	other := func(f func(*Viewer)) Ticket {
		v := base
		f(&v)
		return mustAllow(t, admit(t, tab, v))
	}
	for name, f := range map[string]func(*Viewer){
		"token": func(v *Viewer) { v.Token = "xyz" },
		"ip":    func(v *Viewer) { v.IP = netip.MustParseAddr("10.0.0.2") },
		"proto": func(v *Viewer) { v.Proto = "dash" },
		"conn":  func(v *Viewer) { v.Conn = "10.0.0.1:4001" },
	} {
		if other(f) == tk {
			t.Errorf("a viewer with another %s shares the session", name)
		}
	}
	if other(func(v *Viewer) { v.Query = "token=abc&x=1"; v.UserAgent = "vlc" }) != tk {
		t.Error("a query key or user agent outside the session keys made a new session")
	}

	// session_keys name ip proto sid: a new sid starts another session
	// with the same token, and the token no longer tells sessions apart.
	q := &fakePolicy{limits: auth.Limits{SessionKeys: []string{"name", "ip", "proto", "sid"}}}
	tab2, _ := newTestTable(t, Options{Policies: fakePolicies{"cam1": q}})
	v := viewer("cam1", "abc")
	v.Query = "token=abc&sid=1"
	a := mustAllow(t, admit(t, tab2, v))
	v.Query = "token=abc&sid=2"
	b := mustAllow(t, admit(t, tab2, v))
	v.Token, v.Query = "zzz", "sid=2&token=zzz"
	c := mustAllow(t, admit(t, tab2, v))
	if a == b || b != c {
		t.Errorf("custom keys: sid 1 %s, sid 2 %s, sid 2 other token %s", a.ID(), b.ID(), c.ID())
	}
}

func TestAutoToken(t *testing.T) {
	p := &fakePolicy{}
	tab, _ := newTestTable(t, Options{Policies: fakePolicies{"cam1": p}})
	v := viewer("cam1", "")
	v.Query = "a=1"
	adm := admit(t, tab, v)
	tk := mustAllow(t, adm)
	token, ok := strings.CutPrefix(adm.ChildQuery, "a=1&token=")
	if !ok || len(token) != 32 {
		t.Fatalf("child query %q, want the viewer's query and a made-up token", adm.ChildQuery)
	}
	if got := p.requests()[0].Token; got != token {
		t.Errorf("backend saw token %q, want the made-up %q", got, token)
	}
	child := v
	child.Token, child.Query = token, adm.ChildQuery
	if got := mustAllow(t, admit(t, tab, child)); got != tk {
		t.Errorf("a child request with the made-up token opened %s, want %s", got.ID(), tk.ID())
	}
	if len(p.requests()) != 1 {
		t.Errorf("backend asked %d times, want 1", len(p.requests()))
	}

	strict, _ := newTestTable(t, Options{Policies: fakePolicies{"cam1": p}, NoAutoToken: true})
	if a := admit(t, strict, v); a.Verdict != auth.Deny || len(p.requests()) != 1 {
		t.Errorf("no_auto_token: %+v after %d asks, want Deny without asking", a, len(p.requests()))
	}
}

func TestDenyIsCachedBriefly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &fakePolicy{decide: func(auth.Request) auth.Decision {
			return auth.Decision{Verdict: auth.Deny, Reason: "backend 403"}
		}}
		tab, _ := newTestTable(t, Options{Policies: fakePolicies{"cam1": p}, NegativeTTL: 3 * time.Second})
		v := viewer("cam1", "bad")
		for range 3 {
			if a := admit(t, tab, v); a.Verdict != auth.Deny || a.Ticket != nil {
				t.Fatalf("admission %+v, want Deny", a)
			}
		}
		if n := len(p.requests()); n != 1 {
			t.Fatalf("asked %d times within the negative cache, want 1", n)
		}
		time.Sleep(3 * time.Second)
		p.setDecide(nil)
		mustAllow(t, admit(t, tab, v))
		if n := len(p.requests()); n != 2 {
			t.Fatalf("asked %d times, want 2 after the cache ran out", n)
		}
		if tab.Total() != 1 {
			t.Errorf("total %d, want 1: a denied viewer is not counted", tab.Total())
		}
	})
}

func TestRedirect(t *testing.T) {
	p := &fakePolicy{decide: func(auth.Request) auth.Decision {
		return auth.Decision{Verdict: auth.Redirect, Location: "http://backup/clip.m3u8"}
	}}
	tab, _ := newTestTable(t, Options{Policies: fakePolicies{"cam1": p}})
	for range 2 {
		a := admit(t, tab, viewer("cam1", "t"))
		if a.Verdict != auth.Redirect || a.Location != "http://backup/clip.m3u8" || a.Ticket != nil {
			t.Fatalf("admission %+v, want a redirect", a)
		}
	}
	if len(p.requests()) != 2 || tab.Total() != 0 {
		t.Errorf("asks %d total %d, want 2 0: a redirect is neither cached nor counted", len(p.requests()), tab.Total())
	}
}

func TestKick(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &fakePolicy{decide: func(auth.Request) auth.Decision {
			return auth.Decision{Verdict: auth.Allow, Duration: time.Hour}
		}}
		tab, logs := newTestTable(t, Options{Policies: fakePolicies{"cam1": p}})
		v := viewer("cam1", "secret-token")
		tk := mustAllow(t, admit(t, tab, v))
		if !tab.Kick(tk.ID()) || !ended(tk) {
			t.Fatal("kick did not end the session")
		}
		if tab.Kick(tk.ID()) {
			t.Error("a second kick found the session")
		}
		if _, ok := tab.Get(tk.ID()); ok || tab.Total() != 0 {
			t.Error("a kicked session is still listed")
		}
		time.Sleep(59 * time.Minute)
		if a := admit(t, tab, v); a.Verdict != auth.Deny || len(p.requests()) != 1 {
			t.Fatalf("within the ban: %+v after %d asks, want Deny without asking", a, len(p.requests()))
		}
		time.Sleep(2 * time.Minute)
		mustAllow(t, admit(t, tab, v))
		if strings.Contains(logs.String(), "secret-token") || !strings.Contains(logs.String(), tk.ID()) {
			t.Errorf("log %q: want the session id and no token", logs.String())
		}
	})
}

// Viewers that arrive together with the same token while the backend
// thinks wait for its answer and then share the one session: none of
// them wakes into the gap between the answer and the session's record
// and opens a second one.
func TestConcurrentViewersShareOneSession(t *testing.T) {
	for round := range 30 {
		release := make(chan struct{})
		p := &fakePolicy{decide: func(auth.Request) auth.Decision {
			<-release
			return auth.Decision{Verdict: auth.Allow}
		}}
		tab, _ := newTestTable(t, Options{Policies: fakePolicies{"cam1": p}})
		v := viewer("cam1", "abc")
		ids := make(chan string, 8)
		for range cap(ids) {
			go func() { ids <- mustAllow(t, admit(t, tab, v)).ID() }()
		}
		if !mediatest.Eventually(5*time.Second, func() bool { return len(p.requests()) > 0 }) {
			t.Fatal("the backend was never asked")
		}
		close(release)
		first := <-ids
		for range cap(ids) - 1 {
			if id := <-ids; id != first {
				t.Fatalf("round %d: concurrent viewers with one token got sessions %s and %s", round, first, id)
			}
		}
		if n := len(p.requests()); n != 1 {
			t.Fatalf("round %d: backend asked %d times, want 1", round, n)
		}
	}
}
