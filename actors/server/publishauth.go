package server

import "streamhive/actors/auth"

// livePolicies is the auth.Policies the viewer sessions and the publish
// listeners hold: it asks the server for its policies at each call, so
// that what was made at start follows the protection of the configuration
// running now (the Book follows reloads; the sessions table and the
// listeners are not rebuilt on a reload).
type livePolicies struct{ s *Server }

func (l livePolicies) Play(stream string) auth.Policy    { return l.s.Policies().Play(stream) }
func (l livePolicies) Publish(stream string) auth.Policy { return l.s.Policies().Publish(stream) }

// TokenKey implements auth.TokenKeyer: publishers' tokens come in the
// query key that auth_token names in the running configuration.
func (l livePolicies) TokenKey() string { return auth.TokenKeyOf(l.s.Policies()) }
