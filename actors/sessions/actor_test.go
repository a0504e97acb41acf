package sessions

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/auth"
	"streamhive/actors/kit/kittest"
)

// startSupervisor runs the sessions supervisor over tab under the root.
func startSupervisor(t *testing.T, sys *actor.ActorSystem, tab *Table) {
	t.Helper()
	pid, err := sys.Root.SpawnNamed(Props(tab), "sessions")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sys.Root.StopFuture(pid).Wait() })
	synctest.Wait()
}

func TestIdleHTTPSessionCloses(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		tab, _ := newTestTable(t, Options{IdleTimeout: 30 * time.Second})
		startSupervisor(t, sys, tab)
		v := viewer("cam1", "")
		tk := mustAllow(t, admit(t, tab, v))
		time.Sleep(20 * time.Second)
		tk.Sent(1000) // a segment: active again
		time.Sleep(29 * time.Second)
		synctest.Wait()
		if ended(tk) {
			t.Fatal("closed 29 s after its last request")
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		if !ended(tk) || tab.Total() != 0 {
			t.Fatalf("ended %v total %d, want the idle session closed", ended(tk), tab.Total())
		}
		if again := mustAllow(t, admit(t, tab, v)); again == tk {
			t.Error("a closed session's key still finds it")
		}

		// A connection session stays however long it is quiet, until
		// its player leaves.
		rtmp := v
		rtmp.Proto = "rtmp"
		conn := mustAllow(t, admit(t, tab, rtmp))
		time.Sleep(time.Hour)
		synctest.Wait()
		if ended(conn) {
			t.Fatal("a connection session closed for inactivity")
		}
		conn.Close()
		if !ended(conn) {
			t.Error("Close did not end the connection session")
		}
	})
}

func TestReauthAtExpiry(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		p := &fakePolicy{decide: func(auth.Request) auth.Decision {
			return auth.Decision{Verdict: auth.Allow, Duration: time.Minute}
		}}
		tab, _ := newTestTable(t, Options{Policies: fakePolicies{"cam1": p}, IdleTimeout: time.Hour})
		startSupervisor(t, sys, tab)
		v := viewer("cam1", "abc")
		v.Proto = "rtsp"
		tk := mustAllow(t, admit(t, tab, v))
		tk.Sent(500)
		time.Sleep(59 * time.Second)
		synctest.Wait()
		if n := len(p.requests()); n != 1 {
			t.Fatalf("asked %d times before the decision expired, want 1", n)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		asks := p.requests()
		if len(asks) != 2 {
			t.Fatalf("asked %d times after expiry, want 2", len(asks))
		}
		r := asks[1]
		if r.Type != auth.UpdateSession || r.Number != 1 || r.SessionID != tk.ID() || r.Bytes != 500 ||
			r.Duration != time.Minute || r.Token != "abc" {
			t.Errorf("re-ask %+v", r)
		}

		// Denied at the next re-ask: the session ends, its key is refused.
		p.setDecide(func(auth.Request) auth.Decision { return auth.Decision{Verdict: auth.Deny} })
		time.Sleep(time.Minute)
		synctest.Wait()
		if !ended(tk) {
			t.Fatal("a session denied at re-ask goes on")
		}
		if a := admit(t, tab, v); a.Verdict != auth.Deny {
			t.Errorf("after the denial: %+v", a)
		}
	})
}

func TestReauthNow(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		p := &fakePolicy{decide: func(auth.Request) auth.Decision {
			return auth.Decision{Verdict: auth.Allow, Duration: time.Hour}
		}}
		tab, _ := newTestTable(t, Options{Policies: fakePolicies{"cam1": p, "cam2": p}})
		startSupervisor(t, sys, tab)
		mustAllow(t, admit(t, tab, viewer("cam1", "a")))
		mustAllow(t, admit(t, tab, viewer("cam1", "b")))
		other := mustAllow(t, admit(t, tab, viewer("cam2", "c")))
		synctest.Wait()
		p.setDecide(func(r auth.Request) auth.Decision {
			if r.Token == "a" {
				return auth.Decision{Verdict: auth.Deny}
			}
			return auth.Decision{Verdict: auth.Allow, Duration: time.Hour}
		})
		if n := tab.Reauth("cam1"); n != 2 {
			t.Fatalf("reauth marked %d sessions, want 2", n)
		}
		synctest.Wait()
		if len(p.requests()) != 5 || tab.Clients("cam1") != 1 || ended(other) || tab.Reauth("nope") != 0 {
			t.Errorf("asks %d, cam1 clients %d: want 5 and 1 (a denied, b kept, cam2 untouched)",
				len(p.requests()), tab.Clients("cam1"))
		}
	})
}

func TestKickStopsTheActor(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		tab, _ := newTestTable(t, Options{})
		startSupervisor(t, sys, tab)
		tk := mustAllow(t, admit(t, tab, viewer("cam1", "a")))
		synctest.Wait()
		pid := tk.(*session).pid.Load()
		if _, ok := sys.ProcessRegistry.GetLocal(pid.Id); pid == nil || !ok {
			t.Fatal("no actor for the session")
		}
		tab.Kick(tk.ID())
		synctest.Wait()
		if _, ok := sys.ProcessRegistry.GetLocal(pid.Id); ok {
			t.Error("the kicked session's actor still runs")
		}
	})
}

func TestIdleLeft(t *testing.T) {
	now := time.Unix(100, 0)
	if exp, left := idleLeft(now.Add(-10*time.Second), now, 30*time.Second); exp || left != 20*time.Second {
		t.Errorf("10 s idle of 30: %v %v", exp, left)
	}
	if exp, _ := idleLeft(now.Add(-30*time.Second), now, 30*time.Second); !exp {
		t.Error("30 s idle of 30 is not expired")
	}
	if reauthAfter(0, time.Minute) != time.Minute || reauthAfter(time.Second, time.Minute) != time.Second {
		t.Error("reauthAfter")
	}
}

// A session admitted before the supervisor started gets its actor when
// the supervisor starts.
func TestSupervisorAdoptsEarlierSessions(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		tab, _ := newTestTable(t, Options{IdleTimeout: 30 * time.Second})
		tk := mustAllow(t, admit(t, tab, viewer("cam1", "a")))
		startSupervisor(t, sys, tab)
		time.Sleep(31 * time.Second)
		synctest.Wait()
		if !ended(tk) {
			t.Error("a session admitted before the supervisor started never times out")
		}
	})
}
