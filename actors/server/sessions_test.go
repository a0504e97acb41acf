package server_test

import (
	"context"
	"errors"
	"net/netip"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/actors/auth"
	"streamhive/actors/config"
	"streamhive/actors/server"
	"streamhive/actors/sessions"
)

// The sessions supervisor runs under the root: a viewer admitted through
// the Gate is a session of its stream (online_clients, the sessions
// list), is re-authorized on demand, and closes after inactivity.
func TestSessionsInTheTree(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := startServer(t, server.Options{ConfigPath: writeConf(t, confText)})
		v := sessions.Viewer{Stream: "a", Proto: "hls", IP: netip.MustParseAddr("10.0.0.1"), Token: "t"}
		adm := s.Gate().Admit(context.Background(), v)
		if adm.Verdict != auth.Allow {
			t.Fatalf("admission %+v", adm)
		}
		synctest.Wait()
		if st, _ := s.Stats("a"); st.Clients != 1 || s.TotalClients() != 1 {
			t.Fatalf("clients %d total %d, want 1 1", st.Clients, s.TotalClients())
		}
		if list := s.Sessions(); len(list) != 1 || list[0].ID != adm.Ticket.ID() {
			t.Fatalf("sessions %+v", list)
		}
		if n, err := s.ReauthSessions("a"); n != 1 || err != nil {
			t.Errorf("reauth a: %d %v", n, err)
		}
		if _, err := s.ReauthSessions("nope"); !errors.Is(err, config.ErrNotFound) {
			t.Errorf("reauth of an unknown stream: %v", err)
		}
		time.Sleep(sessions.DefaultIdleTimeout + time.Second)
		synctest.Wait()
		if _, ok := s.Session(adm.Ticket.ID()); ok {
			t.Error("an idle HLS session is still open")
		}
		again := s.Gate().Admit(context.Background(), v)
		if !s.KickSession(again.Ticket.ID()) {
			t.Fatal("kick found no session")
		}
		select {
		case <-again.Ticket.Ended():
		default:
			t.Error("a kicked session did not end")
		}
	})
}
