package server

import (
	"net"
	"strconv"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/listener"
)

// rtspListeners returns the `rtsp PORT;` listeners of the configuration.
// They are opened at Start: a reload does not move them. (`rtsps`: tls.go.)
func rtspListeners(cfg *config.Server) []config.Listen {
	if cfg.Listeners == nil {
		return nil
	}
	return cfg.Listeners.RTSP
}

// spawnRTSP starts the RTSP listener actors under the root actor.
func spawnRTSP(ctx actor.Context, ls []config.Listen, base listener.Config) ([]*actor.PID, error) {
	return spawnEach(ctx, "rtsp", ls, func(l config.Listen) *actor.Props {
		c := base
		c.Address = net.JoinHostPort(l.Address, strconv.Itoa(l.Port))
		return listener.RTSPProps(c)
	})
}

// RTSPAddrs returns the TCP addresses the RTSP listeners listen on, in
// configuration order: with port 0 configured, the port the system chose.
func (s *Server) RTSPAddrs() []net.Addr { return s.rtspAddr }

func rtmpListeners(cfg *config.Server) []config.Listen {
	if cfg.Listeners == nil {
		return nil
	}
	return cfg.Listeners.RTMP
}
