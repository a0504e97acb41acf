// Package configowner implements the config owner: the one actor that owns
// the running configuration and the config file. API writes and reloads
// reach it as messages; it validates them, persists API writes, publishes
// the new configuration as an immutable snapshot and sends the streams
// supervisor a diff, so that only the streams whose configuration changed
// are touched.
package configowner

import (
	"crypto/sha256"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/events"
	"streamhive/actors/streams"
)

// DefaultStreamsTimeout bounds the wait for the streams supervisor to apply
// a diff.
const DefaultStreamsTimeout = 10 * time.Second

// Config is the configuration of the config owner.
type Config struct {
	// Path is the config file. Empty means the embedded default
	// configuration: changes live in memory only and Reload fails.
	Path string
	// Snapshot holds the configuration in effect, an immutable value that
	// readers load without a message. It must hold the initial,
	// validated configuration when the actor starts; a restarted owner
	// continues from what it holds. Required.
	Snapshot *atomic.Pointer[config.Server]
	// Streams is the streams supervisor, which gets every diff. Required.
	Streams *actor.PID
	// StreamsTimeout bounds the wait for Streams to apply a diff. Zero
	// means DefaultStreamsTimeout.
	StreamsTimeout time.Duration
	// Check, when set, runs on every configuration that a reload or an
	// API write would publish, after config's own validation: what only
	// shows when the configuration is put to use (the protection's
	// files and references, auth.NewBook). An error refuses the change
	// as a validation error does.
	Check func(*config.Server) error
	// Events gets config_reloaded and config_refused, and follows the
	// event_sink blocks of each configuration put in effect. Nil: none.
	Events *events.Bus
}

// Props returns the Props of the config owner.
func Props(cfg Config) *actor.Props {
	if cfg.StreamsTimeout <= 0 {
		cfg.StreamsTimeout = DefaultStreamsTimeout
	}
	// The file as the server just loaded it (Props is called right after),
	// shared by every incarnation of the owner: a restarted one still
	// knows what the server last wrote.
	onDisk := new(fileHash)
	if cfg.Path != "" {
		*onDisk = hashFile(cfg.Path)
	}
	return actor.PropsFromProducer(func() actor.Actor { return &owner{cfg: cfg, onDisk: onDisk} })
}

// owner reads and writes the config file inside Receive, on purpose: it is
// the file's single writer, writes are rare and small, and doing them in
// order, each reply after its durable write, is the point. Nothing on a hot
// path waits for it.
type owner struct {
	cfg Config
	cur *config.Server // == cfg.Snapshot.Load(); never modified
	// onDisk hashes the config file as the server last loaded or wrote
	// it; a file that hashes otherwise holds an operator's edit the
	// server has not taken, which an API write must not destroy.
	onDisk *fileHash
}

// Receive implements actor.Actor.
func (o *owner) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		o.cur = o.cfg.Snapshot.Load()
	case *Apply:
		o.onApply(ctx, m)
	case *Reload:
		o.onReload(ctx)
	}
}

func (o *owner) onApply(ctx actor.Context, m *Apply) {
	if m.Change == nil {
		ctx.Respond(&ApplyReply{Err: fmt.Errorf("configowner: no change: %w", config.ErrInvalid)})
		return
	}
	next := o.cur.Clone()
	err := m.Change.Apply(next)
	if err == nil {
		err = o.check(next)
	}
	if err != nil {
		o.refuse(byAPI, err)
		ctx.Respond(&ApplyReply{Err: err})
		return
	}
	if err := o.persist(ctx, next); err != nil {
		ctx.Logger().Error("config: persisting a change", slog.Any("err", err))
		ctx.Respond(&ApplyReply{Err: err})
		return
	}
	o.commit(ctx, next, byAPI, func(_ config.StreamDiff, err error) any { return &ApplyReply{Err: err} })
}

func (o *owner) onReload(ctx actor.Context) {
	if o.cfg.Path == "" {
		ctx.Respond(&ReloadReply{Err: ErrNoFile})
		return
	}
	// Hashed before it is read: an edit landing in between leaves the
	// hash of the older text, so the next write keeps the newer one.
	sum := hashFile(o.cfg.Path)
	next, err := config.Load(o.cfg.Path)
	if err == nil {
		err = o.check(next)
	}
	if err != nil {
		// The asker logs it (cmd, on SIGHUP): every error, file:line:column,
		// once. onDisk stays: the refused text is still the operator's.
		o.refuse(byReload, err)
		ctx.Respond(&ReloadReply{Err: err})
		return
	}
	*o.onDisk = sum
	o.commit(ctx, next, byReload, func(d config.StreamDiff, err error) any { return &ReloadReply{Diff: d, Err: err} })
}

// persist writes next to the config file, if there is one. A file that is
// not what the server last loaded or wrote is first kept beside it (see
// keepHandEdit), and the write goes on: an API client need not know about
// the operator's edit, and the operator loses nothing. Refusing the write
// (409) would instead stop every API client until someone fixes the file
// at the console; keeping a copy lets both go on, and the log names it.
func (o *owner) persist(ctx actor.Context, next *config.Server) error {
	if o.cfg.Path == "" {
		return nil
	}
	kept, err := keepHandEdit(o.cfg.Path, *o.onDisk, time.Now())
	if err != nil {
		return err
	}
	if kept != "" {
		ctx.Logger().Warn("config: the file was edited by hand and not loaded (its reload was refused, or none came); "+
			"kept it beside before writing the API's change", slog.String("file", o.cfg.Path), slog.String("kept", kept))
	}
	data := config.Print(next)
	if err := writeFileAtomic(o.cfg.Path, data); err != nil {
		return err
	}
	*o.onDisk = sha256.Sum256(data)
	return nil
}

// check runs Config.Check, if any.
func (o *owner) check(next *config.Server) error {
	if o.cfg.Check == nil {
		return nil
	}
	return o.cfg.Check(next)
}

// commit makes next the configuration in effect: it publishes the snapshot,
// sends the diff to the streams supervisor and answers the request with
// reply once the supervisor has applied it. The owner keeps handling
// messages meanwhile (ReenterAfter); the next change starts from next, and
// diffs reach the supervisor in order.
func (o *owner) commit(ctx actor.Context, next *config.Server, by string, reply func(config.StreamDiff, error) any) {
	diff := config.Diff(o.cur, next)
	prev := o.cur
	o.cur = next
	o.cfg.Snapshot.Store(next)
	o.announce(prev, next, by, diff)
	ctx.Logger().Info("config: applied", slog.Any("added", diff.Added),
		slog.Any("removed", diff.Removed), slog.Any("changed", diff.Changed))
	for _, n := range next.Inactive() {
		ctx.Logger().Warn("config: not acted on", slog.String("notice", n.String()))
	}
	if diff.Empty() {
		ctx.Respond(reply(diff, nil))
		return
	}
	f := ctx.RequestFuture(o.cfg.Streams, &streams.Apply{Config: next, Diff: diff}, o.cfg.StreamsTimeout)
	ctx.ReenterAfter(f, func(res any, err error) {
		if err == nil {
			if rep, ok := res.(*streams.ApplyReply); ok {
				err = rep.Err
			} else {
				err = fmt.Errorf("unexpected reply %T", res)
			}
		}
		if err != nil {
			err = fmt.Errorf("configowner: change saved, but the streams did not follow it: %w", err)
			ctx.Logger().Error("config: applying to streams", slog.Any("err", err))
		}
		ctx.Respond(reply(diff, err))
	})
}
