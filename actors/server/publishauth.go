package server

import "streamhive/actors/auth"

// livePolicies is the auth.Policies the publish listeners hold: it asks
// the server for its policies at each call, so that listeners spawned at
// start follow the protection of the configuration running now (the Book
// follows reloads; the listeners are not respawned on a reload).
type livePolicies struct{ s *Server }

func (l livePolicies) Play(stream string) auth.Policy    { return l.s.Policies().Play(stream) }
func (l livePolicies) Publish(stream string) auth.Policy { return l.s.Policies().Publish(stream) }
