package sessions

import (
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/actors/auth"
	"streamhive/actors/config"
)

// oneUser maps every token to user u with a limit of limit sessions.
func oneUser(u string, limit int) func(auth.Request) auth.Decision {
	return func(auth.Request) auth.Decision {
		return auth.Decision{Verdict: auth.Allow, UserID: u, MaxSessions: limit, Duration: 10 * time.Minute}
	}
}

func TestUserLimitBansTheOldest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &fakePolicy{decide: oneUser("u1", 2)}
		tab, logs := newTestTable(t, Options{Policies: fakePolicies{"a": p, "b": p, "c": p}})
		var tickets []Ticket
		for i, stream := range []string{"a", "b", "c"} {
			tickets = append(tickets, mustAllow(t, admit(t, tab, viewer(stream, fmt.Sprint("tok", i)))))
			time.Sleep(time.Second)
		}
		if !ended(tickets[0]) || ended(tickets[1]) || ended(tickets[2]) {
			t.Fatalf("ended: %v %v %v, want only the oldest", ended(tickets[0]), ended(tickets[1]), ended(tickets[2]))
		}
		if a := admit(t, tab, viewer("a", "tok0")); a.Verdict != auth.Deny {
			t.Fatalf("banned key: %+v, want Deny", a)
		}
		if n := len(p.requests()); n != 3 {
			t.Errorf("asked %d times, want 3: a banned key is refused from memory", n)
		}
		log := logs.String()
		if !strings.Contains(log, "session banned") || !strings.Contains(log, tickets[0].ID()) ||
			!strings.Contains(log, "user_id=u1") || strings.Contains(log, "tok0") {
			t.Errorf("ban log %q: want the session and user ids, no token", log)
		}
		time.Sleep(10 * time.Minute) // the ban lasts the decision's duration
		mustAllow(t, admit(t, tab, viewer("a", "tok0")))
		if !ended(tickets[1]) {
			t.Error("the re-opened session did not push the next oldest out")
		}
	})
}

func TestSoftLimitationWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &fakePolicy{decide: oneUser("u1", 1), limits: auth.Limits{SoftLimitation: true}}
		tab, _ := newTestTable(t, Options{Policies: fakePolicies{"a": p, "b": p}})
		old := mustAllow(t, admit(t, tab, viewer("a", "t")))
		cur := mustAllow(t, admit(t, tab, viewer("b", "t")))
		time.Sleep(89 * time.Second)
		if ended(old) {
			t.Fatal("soft limitation banned before the grace period")
		}
		time.Sleep(2 * time.Second)
		if !ended(old) || ended(cur) {
			t.Fatalf("after the grace: old ended %v, new ended %v; want the old one banned", ended(old), ended(cur))
		}

		// A session the player leaves within the grace is not banned.
		third := mustAllow(t, admit(t, tab, viewer("a", "t2")))
		cur.Close()
		time.Sleep(2 * time.Minute)
		if ended(third) {
			t.Error("a session within the limit after the grace was banned")
		}
	})
}

func TestStreamAndServerLimits(t *testing.T) {
	p := &fakePolicy{limits: auth.Limits{MaxSessions: 2}}
	cfg := &config.Server{}
	cfg.MaxSessions = 3
	tab, _ := newTestTable(t, Options{Policies: fakePolicies{"a": p}, Config: func() *config.Server { return cfg }})
	a1 := mustAllow(t, admit(t, tab, viewer("a", "1")))
	mustAllow(t, admit(t, tab, viewer("a", "2")))
	if v := admit(t, tab, viewer("a", "3")); v.Verdict != auth.Deny {
		t.Fatalf("third session of a stream limited to 2: %+v", v)
	}
	if len(p.requests()) != 2 {
		t.Errorf("asked %d times, want 2: a stream over its limit refuses before asking", len(p.requests()))
	}
	mustAllow(t, admit(t, tab, viewer("free", "1")))
	if v := admit(t, tab, viewer("free", "2")); v.Verdict != auth.Deny {
		t.Fatalf("fourth session of a server limited to 3: %+v", v)
	}
	a1.Close()
	mustAllow(t, admit(t, tab, viewer("free", "3"))) // "2" is still in the negative cache
	if tab.Total() != 3 || tab.Clients("a") != 1 {
		t.Errorf("total %d clients(a) %d, want 3 1", tab.Total(), tab.Clients("a"))
	}
}
