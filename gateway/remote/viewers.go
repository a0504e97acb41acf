package remote

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"streamhive/actors/cluster"
	"streamhive/actors/config"
	"streamhive/gateway/live"
	"streamhive/media/hls"
	"streamhive/media/hub"
	"streamhive/media/segment"
	"streamhive/media/stats"
)

// Relays opens relays: the streams actor server runs a stream configured
// only on owner as a local on-demand stream pulling from it (m4f), which
// the local locator finds from then on. actors/server implements it.
type Relays interface {
	OpenRelay(ctx context.Context, name string, owner cluster.Member) error
}

const (
	// openTimeout bounds one OpenRelay.
	openTimeout = 10 * time.Second
	// relayPoll is how often a viewer waiting on a relay being opened
	// looks for it in the local locator.
	relayPoll = 20 * time.Millisecond
)

// Members lists servers and the streams each runs: the `source` lines'
// sources (cluster.Sources).
type Members interface {
	Members() []cluster.Member
}

// Viewers is the playback handlers' live.Locator on a cluster node, or a
// node with `source` lines: whatever the local locator (local.Viewers)
// finds is served here, relays included (they pull from the owner); a
// stream it does not find but a member runs, else a source offers, gets a
// relay opened, and the viewer waits for it.
type Viewers struct {
	Local live.Locator
	// View is the cluster's; nil on a node with `source` lines alone.
	View cluster.View
	// Sources are the `source` lines' servers with the streams their
	// only/except let through; nil without them.
	Sources Members
	Relays  Relays
	Logger  *slog.Logger

	opening sync.Map // stream name → *opening
}

// Locate implements live.Locator. It never waits: a relay is opened in
// the background, once per stream however many viewers ask.
func (v *Viewers) Locate(name string) (live.Location, bool) {
	if loc, ok := v.Local.Locate(name); ok {
		return loc, true
	}
	if v.Relays == nil {
		return live.Location{}, false
	}
	owner, ok := v.holder(name)
	if !ok {
		return live.Location{}, false
	}
	return live.Location{Node: live.Local, Stream: &pending{v: v, name: name, op: v.open(name, owner)}}, true
}

// holder is where a relay of name pulls from: the least loaded member
// that runs it, else the least loaded source that offers it.
func (v *Viewers) holder(name string) (cluster.Member, bool) {
	if v.View != nil {
		if m, ok := LeastLoaded(Holders(v.View.Members(), v.View.Self().ID, name)); ok {
			return m, true
		}
	}
	if v.Sources != nil {
		return LeastLoaded(Holders(v.Sources.Members(), "", name))
	}
	return cluster.Member{}, false
}

// opening is one OpenRelay in flight; err is set before done closes.
type opening struct {
	owner cluster.Member
	done  chan struct{}
	err   error
}

func (v *Viewers) open(name string, owner cluster.Member) *opening {
	o := &opening{owner: owner, done: make(chan struct{})}
	if prev, loaded := v.opening.LoadOrStore(name, o); loaded {
		return prev.(*opening)
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
		defer cancel()
		o.err = v.Relays.OpenRelay(ctx, name, owner)
		if o.err != nil && v.Logger != nil {
			v.Logger.Warn("cluster: relay not opened", "stream", name, "owner", owner.Name, "err", o.err)
		}
		close(o.done)
		v.opening.CompareAndDelete(name, o)
	}()
	return o
}

// pending is a stream whose relay was being opened when it was located:
// it takes the local stream the relay becomes and keeps it (one lineage).
type pending struct {
	v      *Viewers
	name   string
	op     *opening
	pinned atomic.Pointer[live.Stream]
}

var (
	_ live.Stream    = (*pending)(nil)
	_ live.Frames    = (*pending)(nil)
	_ live.OpusAudio = (*pending)(nil)
)

// ErrRelayNotOpen is what a pending stream's waits return when the relay
// could not be opened.
var ErrRelayNotOpen = errors.New("remote: relay not opened")

// stream returns the relay's local stream once the local locator has it.
func (p *pending) stream() live.Stream {
	if s := p.pinned.Load(); s != nil {
		return *s
	}
	loc, ok := p.v.Local.Locate(p.name)
	if !ok {
		return nil
	}
	p.pinned.CompareAndSwap(nil, &loc.Stream)
	return *p.pinned.Load()
}

// await waits for the relay until ctx ends or the open fails.
func (p *pending) await(ctx context.Context) (live.Stream, error) {
	t := time.NewTicker(relayPoll)
	defer t.Stop()
	done := p.op.done
	for {
		if s := p.stream(); s != nil {
			return s, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-done:
			if p.op.err != nil {
				return nil, fmt.Errorf("%w: %q from %s: %w", ErrRelayNotOpen, p.name, p.op.owner.Name, p.op.err)
			}
			done = nil // opened: the local locator has it at the next look
		case <-t.C:
		}
	}
}

// Window implements live.Stream.
func (p *pending) Window() *segment.Window {
	if s := p.stream(); s != nil {
		return s.Window()
	}
	return nil
}

// Next implements live.Stream.
func (p *pending) Next(ctx context.Context, w *segment.Window) (*segment.Window, error) {
	s, err := p.await(ctx)
	if err != nil {
		return nil, err
	}
	return s.Next(ctx, w)
}

// Wait implements live.Stream.
func (p *pending) Wait(ctx context.Context, msn uint64, part int) error {
	s, err := p.await(ctx)
	if err != nil {
		return err
	}
	return s.Wait(ctx, msn, part)
}

// Media implements live.Stream.
func (p *pending) Media(ctx context.Context, ref hls.Ref) ([]byte, error) {
	if s := p.stream(); s != nil {
		return s.Media(ctx, ref)
	}
	return nil, nil
}

// Enabled implements live.Stream: on until the relay says otherwise.
func (p *pending) Enabled(protocol string) bool {
	if s := p.stream(); s != nil {
		return s.Enabled(protocol)
	}
	return true
}

// Preview implements live.Stream.
func (p *pending) Preview(ctx context.Context) ([]byte, error) {
	if s := p.stream(); s != nil {
		return s.Preview(ctx)
	}
	return nil, fmt.Errorf("%w: relay of %q opening", live.ErrNotProducing, p.name)
}

// Stats implements live.Stream.
func (p *pending) Stats() (stats.Stream, bool) {
	if s := p.stream(); s != nil {
		return s.Stats()
	}
	return stats.Stream{}, false
}

// SelectInput implements live.Stream: the relay's, once open.
func (p *pending) SelectInput(ctx context.Context, index int) error {
	s, err := p.await(ctx)
	if err != nil {
		return fmt.Errorf("%w: %w", config.ErrNotFound, err)
	}
	return s.SelectInput(ctx, index)
}

// Stop implements live.Stream: the relay's, once open.
func (p *pending) Stop(ctx context.Context) error {
	s, err := p.await(ctx)
	if err != nil {
		return fmt.Errorf("%w: %w", config.ErrNotFound, err)
	}
	return s.Stop(ctx)
}

// Frames implements live.Frames: it waits for the relay.
func (p *pending) Frames(ctx context.Context) (*hub.Consumer, error) {
	s, err := p.await(ctx)
	if err != nil {
		return nil, err
	}
	f, ok := s.(live.Frames)
	if !ok {
		return nil, fmt.Errorf("%w: relay of %q has no frames", live.ErrNotProducing, p.name)
	}
	return f.Frames(ctx)
}

// WantOpus implements live.OpusAudio. Like the local waking stream it
// does not wait: a viewer asks for Opus once Frames has returned.
func (p *pending) WantOpus() (release func(), err error) {
	o, ok := p.stream().(live.OpusAudio)
	if !ok {
		return nil, fmt.Errorf("%w: relay of %q not open", live.ErrNotProducing, p.name)
	}
	return o.WantOpus()
}
