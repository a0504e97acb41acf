package server

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/kit"
	"streamhive/actors/listener"
)

// srtListeners returns the SRT listeners the configuration asks for: the
// global `srt_publish { port N; ... }` (publishers), `srt PORT;`
// (publishers, and viewers with m=request; the passphrase is
// srt_publish's) and `srt_play { port N; ... }` (viewers), all routed by
// streamid, then each enabled stream's own `srt PORT;` (its publishers,
// and viewers with m=request) and `srt_play { port N; ... }` (its
// viewers, whatever their streamid). None with Options.NoSRT. Viewers go
// through viewers; Lookup is filled in by the root actor. They are opened
// at Start: a reload does not move them.
func srtListeners(cfg *config.Server, none bool, viewers listener.Viewers) []listener.SRTConfig {
	if none {
		return nil
	}
	var out []listener.SRTConfig
	var global *config.SRTConfig
	if p := cfg.SRTPublish; p != nil && p.Port != nil {
		global = p
		out = append(out, srtPort(p, ""))
	}
	if cfg.SRT != nil && (global == nil || *cfg.SRT != *global.Port) {
		l := listener.SRTConfig{Address: hostPort(*cfg.SRT), Viewers: viewers}
		if global != nil {
			l.Passphrase = global.Passphrase
		}
		out = append(out, l)
	}
	if p := cfg.SRTPlay; p != nil && p.Port != nil {
		out = append(out, srtPlayPort(p, "", viewers))
	}
	for _, st := range cfg.Streams {
		if st.Disabled {
			continue
		}
		if st.SRT != nil {
			out = append(out, listener.SRTConfig{Address: hostPort(*st.SRT), Stream: st.Name, Viewers: viewers})
		}
		if p := st.SRTPlay; p != nil && p.Port != nil {
			out = append(out, srtPlayPort(p, st.Name, viewers))
		}
	}
	return out
}

// srtPort is the listener of an SRT block; stream set: that stream's only.
func srtPort(c *config.SRTConfig, stream string) listener.SRTConfig {
	return listener.SRTConfig{
		Address:    hostPort(*c.Port),
		Passphrase: c.Passphrase,
		Latency:    time.Duration(c.Latency) * time.Millisecond,
		Stream:     stream,
	}
}

// srtPlayPort is the listener of a srt_play block: viewers only.
func srtPlayPort(c *config.SRTConfig, stream string, viewers listener.Viewers) listener.SRTConfig {
	l := srtPort(c, stream)
	l.Viewers, l.PlayOnly = viewers, true
	return l
}

func hostPort(l config.ListenSpec) string { return net.JoinHostPort(l.Address, strconv.Itoa(l.Port)) }

// spawnSRT starts the SRT listener actors under the root actor.
func spawnSRT(ctx actor.Context, cfgs []listener.SRTConfig, base listener.Config) ([]*actor.PID, error) {
	return spawnEach(ctx, "srt", cfgs, func(c listener.SRTConfig) *actor.Props {
		c.Lookup, c.Policies, c.Dynamic = base.Lookup, base.Policies, base.Dynamic
		return listener.SRTProps(c)
	})
}

// listenerAddrs asks each listener where it listens; a listener that could
// not open its port is an error.
func (s *Server) listenerAddrs(ctx context.Context, pids []*actor.PID) ([]net.Addr, error) {
	addrs := make([]net.Addr, 0, len(pids))
	for _, pid := range pids {
		rep, err := kit.Ask[*listener.GetAddrReply](ctx, s.sys.Root, pid, &listener.GetAddr{})
		if err == nil {
			err = rep.Err
		}
		if err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		addrs = append(addrs, rep.Addr)
	}
	return addrs, nil
}

// SRTAddrs returns the addresses the SRT listeners listen on, in the order
// srt_publish, srt, srt_play, then the streams' own ports (srt, srt_play)
// in configuration order:
// with port 0 configured, the port the system chose.
func (s *Server) SRTAddrs() []net.Addr { return s.srtAddr }
