package server

import (
	"fmt"

	"streamhive/actors/config"
	"streamhive/actors/sessions"
)

// Viewer sessions: the gateway admits every viewer through Gate; the
// Control API lists, kicks and re-authorizes them through the methods
// below, which read the sessions registry without a message (its state is
// shared and safe for concurrent use) or hand the work to the session
// actors under the `sessions` supervisor.

// Gate returns the gate every playback request goes through.
func (s *Server) Gate() sessions.Gate { return s.sessions }

// Sessions returns every open viewer session, oldest first.
func (s *Server) Sessions() []sessions.Info { return s.sessions.List() }

// Session returns open session id.
func (s *Server) Session(id string) (sessions.Info, bool) { return s.sessions.Get(id) }

// KickSession ends session id and refuses its key for its authorization
// duration; false when no such session is open.
func (s *Server) KickSession(id string) bool { return s.sessions.Kick(id) }

// ReauthSessions makes every open session of stream ask its backend
// again now and returns how many there are; a stream that is not
// configured is an error wrapping config.ErrNotFound.
func (s *Server) ReauthSessions(stream string) (int, error) {
	if _, ok := s.Config().Stream(stream); !ok {
		return 0, fmt.Errorf("stream %q: %w", stream, config.ErrNotFound)
	}
	return s.sessions.Reauth(stream), nil
}

// TotalClients returns how many viewer sessions are open on the server.
func (s *Server) TotalClients() int { return s.sessions.Total() }
