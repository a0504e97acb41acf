package stream

import (
	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/keys"
	"streamhive/media/drm"
	"streamhive/media/stats"
)

// keyring is the stream actor's side of its key actor (a stream with a
// `drm` line): the child refreshing the keys and the Handle the outputs
// and the stats read. A restart of the child keeps the Handle, so its
// keys, and touches nothing else of the stream.
type keyring struct {
	pid *actor.PID
	h   *keys.Handle
	drm *config.DRM // the line h serves; nil without one
}

// startKeys spawns the key actor of a protected stream and gives the
// playback its keys.
func (a *streamActor) startKeys(ctx actor.Context) {
	d := a.cfg.Stream.DRM
	if d == nil {
		return
	}
	spec := keys.Spec{Stream: a.cfg.Stream.Name, DRM: d, Bus: a.cfg.Events, Log: ctx.Logger()}
	h := keys.NewHandle(spec)
	a.keys = keyring{pid: ctx.SpawnPrefix(keys.Props(spec, h), "keys"), h: h, drm: d}
	a.playback = a.playback.withKeys(h)
}

// updateKeys follows a changed `drm` line: new keys from the new line
// (the old actor stopped), none without one.
func (a *streamActor) updateKeys(ctx actor.Context) {
	if a.keys.drm.Equal(a.cfg.Stream.DRM) {
		a.playback = a.playback.withKeys(a.keys.h)
		return
	}
	if a.keys.pid != nil {
		ctx.Stop(a.keys.pid)
	}
	a.keys = keyring{}
	a.playback = a.playback.withKeys(nil)
	a.startKeys(ctx)
}

// KeySource returns the stream's keys for its protected outputs, and
// whether the stream is protected (its `drm` line). A protected stream's
// source fails closed (drm.ErrUnavailable) for a time it has no key for.
func (p *Playback) KeySource() (drm.KeySource, bool) {
	if p == nil || p.keys == nil {
		return nil, false
	}
	return p.keys.KeySource(), true
}

// ClearOutputs is what the stream's drm line lets out unencrypted (its
// clear=, play_protocols_spec's names); nil without DRM.
func (p *Playback) ClearOutputs() []string {
	if p == nil || p.keys == nil {
		return nil
	}
	return p.keys.Clear()
}

// TSMethod is how the stream's drm line has HLS MPEG-TS encrypted (its
// ts_method=); empty without DRM or without the option.
func (p *Playback) TSMethod() string {
	if p == nil || p.keys == nil {
		return ""
	}
	return p.keys.TSMethod()
}

// withKeys returns a copy of p with keys h (Playback is immutable once
// published).
func (p *Playback) withKeys(h *keys.Handle) *Playback {
	if p == nil || p.keys == h {
		return p
	}
	c := *p
	c.keys = h
	return &c
}

// drmStats is the key server's state in the stream's stats; nil without
// DRM.
func drmStats(h *keys.Handle) *stats.DRM {
	if h == nil {
		return nil
	}
	st := h.Status()
	return &stats.DRM{Error: st.Err, Since: st.Since, Serving: st.Serving}
}
