package server

import (
	"streamhive/actors/listener"
	"streamhive/actors/stream"
)

// Publisher returns the publish path for publishers that arrive through
// the HTTP gateway (WHIP): the one the protocol listeners use, reading the
// streams directory as it is at each call.
func (s *Server) Publisher() *listener.Publisher {
	return listener.NewPublisher(s.sys.Root, func(name string) (*stream.Status, bool) {
		return s.dir.Load().Status(name)
	}, livePolicies{s}).WithDynamic(s.dynamic())
}
