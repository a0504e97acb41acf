package server

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"streamhive/actors/cluster"
	"streamhive/actors/config"
	"streamhive/actors/kit"
	"streamhive/actors/streams"
)

// resyncTimeout bounds the streams supervisor's answer to a placement
// change.
const resyncTimeout = 5 * time.Second

// newPlacer returns the Placer of a server in a cluster (view non-nil),
// else nil: every stream then runs as configured. It places from the
// moment the streams supervisor starts; it re-syncs streams once
// startPlacement runs it.
func newPlacer(view cluster.SettledView, s *Server, log *slog.Logger) *cluster.Placer {
	if view == nil {
		return nil
	}
	if log == nil {
		log = slog.Default()
	}
	return cluster.NewPlacer(cluster.PlacerConfig{
		View:    view,
		Current: s.snapshot.Load,
		Resync: func(names []string) {
			ctx, cancel := context.WithTimeout(context.Background(), resyncTimeout)
			defer cancel()
			rep, err := kit.Ask[*streams.ApplyReply](ctx, s.sys.Root, s.streams,
				&streams.Apply{Diff: config.StreamDiff{Changed: names}})
			if err == nil {
				err = rep.Err
			}
			if err != nil {
				log.Error("server: placing streams", slog.Any("streams", names), slog.Any("err", err))
				return
			}
			log.Info("server: streams placed again", slog.Any("streams", names), slog.Any("captures", s.Captures()))
		},
		Watch: s.watchRelays,
	})
}

// place is the streams supervisor's Place: the Placer's, or none.
func (s *Server) place(cfg config.Stream) config.Stream {
	if s.placer == nil {
		return cfg
	}
	return s.placer.Place(cfg)
}

func (s *Server) startPlacement() {
	if s.placer != nil {
		s.placer.Start()
	}
}

func (s *Server) stopPlacement() {
	if s.placer != nil {
		s.placer.Stop()
	}
	if s.sources != nil {
		s.sources.Stop()
	}
}

// Captures returns the cluster_ingest streams this node captures now,
// sorted (its probe answers' claims); none outside a cluster.
func (s *Server) Captures() []string {
	if s.placer == nil {
		return nil
	}
	return s.placer.Captures()
}

// Owner returns the member that captures cluster_ingest stream name (this
// node's own Member when it does); false outside a cluster, for another
// stream, or while no member captures it.
func (s *Server) Owner(name string) (cluster.Member, bool) {
	if s.placer == nil {
		return cluster.Member{}, false
	}
	return s.placer.Owner(name)
}

// OpenRelay starts this node's relay of stream name, which owner captures
// or runs (any node serves any stream), unless the stream runs here
// already; the relay lives while it has viewers. A stream configured here
// runs as its placement says and ignores owner. The gateway's locator
// calls it for a stream that another node runs.
func (s *Server) OpenRelay(ctx context.Context, name string, owner cluster.Member) error {
	m := &streams.Open{Name: name}
	if !owner.Self {
		relay := cluster.RelayConfig(config.Stream{Name: name}, owner)
		m.Relay = &relay
	}
	_, err := openStream(ctx, s.sys.Root, s.streams, s.dir, m)
	if err == nil && m.Relay != nil {
		if _, configured := s.snapshot.Load().Stream(name); !configured {
			s.relays.Store(name, owner) // watchRelays follows its owner
		}
	}
	return err
}

// watchRelays re-points the relays OpenRelay opened whose owner is gone
// (or no longer runs the stream) to a member that runs it, and forgets
// the relays that idled out. It runs on the Placer's goroutine.
func (s *Server) watchRelays(members []cluster.Member) {
	s.relays.Range(func(k, v any) bool {
		name, owner := k.(string), v.(cluster.Member)
		if st, ok := s.dir.Load().Status(name); !ok || st.PID == nil {
			s.relays.Delete(name)
			return true
		}
		if holds(members, owner.ID, name) {
			return true
		}
		next, ok := cluster.Holder(name, members)
		if !ok || next.ID == owner.ID {
			return true
		}
		ctx, cancel := context.WithTimeout(context.Background(), resyncTimeout)
		defer cancel()
		_ = s.OpenRelay(ctx, name, next) // logged by the streams supervisor
		return true
	})
}

// holds reports whether member id is alive and runs stream name.
func holds(members []cluster.Member, id, name string) bool {
	for _, m := range members {
		if m.ID == id {
			return slices.Contains(m.Captures, name) || slices.Contains(m.Streams, name)
		}
	}
	return false
}

// Relayed reports whether this node's stream name is a relay of another
// node's: a cluster_ingest stream another member captures, a relay
// OpenRelay opened, or a configured stream that pulls m4f:// from another
// node. Other nodes pull from the owner, never through a relay.
func (s *Server) Relayed(name string) bool {
	if _, ok := s.relays.Load(name); ok {
		return true
	}
	if st, ok := s.snapshot.Load().Effective(name); ok {
		if st.ClusterIngest != nil {
			owner, placed := s.Owner(name)
			return !placed || !owner.Self
		}
		return pullsM4F(st.Inputs)
	}
	return false
}

// offered lists the streams this node runs that another node may serve
// (the probe answer's Streams): every stream in the directory but relays.
func (s *Server) offered() []string {
	names := s.dir.Load().Names()
	out := names[:0:0]
	for _, n := range names {
		if !s.Relayed(n) {
			out = append(out, n)
		}
	}
	return out
}

func pullsM4F(inputs []config.Input) bool {
	for _, in := range inputs {
		scheme, _, _ := strings.Cut(strings.ToLower(in.URL), "://")
		if scheme == "m4f" || scheme == "m4fs" {
			return true
		}
	}
	return false
}

// nodeView is the Placer's view of the node's own cluster, which starts
// at the end of Start, after the streams: until then it has no members
// and is not settled, so nothing is captured.
type nodeView struct{ node atomic.Pointer[cluster.Node] }

func (v *nodeView) Members() []cluster.Member {
	if n := v.node.Load(); n != nil {
		return n.View().Members()
	}
	return nil
}

func (v *nodeView) Self() cluster.Member {
	if n := v.node.Load(); n != nil {
		return n.View().Self()
	}
	return cluster.Member{Self: true}
}

func (v *nodeView) Settled() bool {
	n := v.node.Load()
	return n != nil && n.View().Settled()
}
