package streams

import (
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/stream"
)

// effective is stream name's configuration as this node runs it: the
// effective configuration in cfg, placed (Config.Place).
func (a *streamsActor) effective(cfg *config.Server, name string) (config.Stream, bool) {
	eff, ok := cfg.Effective(name)
	if !ok {
		return eff, false
	}
	return a.cfg.Place(eff), true
}

// config returns the stream's configuration as its actor last had it: a
// relay's or a template's stream's own, else from the configuration in
// effect, placed.
func (a *streamsActor) config(e *entry) (config.Stream, bool) {
	switch {
	case e.relay != nil:
		return *e.relay, true
	case e.dynamic != nil:
		return *e.dynamic, true
	}
	eff, ok := a.effective(a.cfg.Current(), e.name)
	return eff, ok && !eff.Disabled
}

// openRelay handles an Open with a Relay for a stream this node does not
// configure; done is false when it is not one (the usual Open goes on).
func (a *streamsActor) openRelay(ctx actor.Context, m *Open) (*OpenReply, bool) {
	if m.Relay == nil {
		return nil, false
	}
	if _, configured := a.cfg.Current().Stream(m.Name); configured {
		return nil, false
	}
	e, ok := a.entries[m.Name]
	switch {
	case ok && e.relay == nil:
		return nil, false // a template's stream for a publisher here
	case ok && e.pid != nil:
		if !e.relay.EqualConfig(m.Relay) {
			relay := *m.Relay
			e.relay = &relay
			ctx.Send(e.pid, &stream.Update{Config: relay})
		}
		return &OpenReply{}, true
	}
	a.remove(ctx, m.Name) // a relay its supervisor gave up on
	relay := *m.Relay
	relay.Name = m.Name
	err := a.start(ctx, relay, lifeOnDemand, nil)
	if err == nil {
		a.entries[m.Name].relay = &relay
		ctx.Logger().Info("streams: relay opened", slog.String("stream", m.Name),
			slog.String("input", firstInput(&relay)))
	}
	a.publish()
	return &OpenReply{Err: err}, true
}

func firstInput(s *config.Stream) string {
	if len(s.Inputs) == 0 {
		return ""
	}
	return s.Inputs[0].URL
}
