package srt

import "testing"

func TestServerPortTaken(t *testing.T) {
	s, _ := startServer(t, newFakeHooks(), "")
	other := &Server{Hooks: newFakeHooks()}
	if err := other.Listen(s.Addr().String()); err == nil {
		other.Close()
		t.Errorf("Listen on a port the first server holds succeeded")
	}
}
