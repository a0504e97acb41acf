package server

import "streamhive/actors/events"

// Events returns the server's event bus: its recent events and its
// sinks' counters, for the API.
func (s *Server) Events() *events.Bus { return s.events }
