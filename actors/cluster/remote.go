package cluster

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit"
	"streamhive/media/stats"
	"streamhive/protocols/clusterpb"
)

// remoteCalls is Remote over protoactor's remote: each call is a protobuf
// request to the member's cluster actor, bounded by ctx (kit.Ask's
// DefaultAskTimeout without a deadline).
type remoteCalls struct {
	root *actor.RootContext
}

func (r remoteCalls) pid(m Member) *actor.PID { return actor.NewPID(m.Address, ActorName) }

func (r remoteCalls) Stats(ctx context.Context, m Member, name string) (stats.Stream, bool, error) {
	rep, err := kit.Ask[*clusterpb.StreamStatsReply](ctx, r.root, r.pid(m), &clusterpb.StreamStatsRequest{Name: name})
	if err != nil {
		return stats.Stream{}, false, fmt.Errorf("cluster: stats of %s on %s: %w", name, m.Name, err)
	}
	if err := fromFailure(rep.GetErr()); err != nil || !rep.GetRunning() {
		return stats.Stream{}, false, err
	}
	var st stats.Stream
	if err := json.Unmarshal(rep.GetStatsJson(), &st); err != nil {
		return stats.Stream{}, false, fmt.Errorf("cluster: stats of %s on %s: %w", name, m.Name, err)
	}
	return st, true, nil
}

func (r remoteCalls) SelectInput(ctx context.Context, m Member, name string, index int) error {
	return r.done(ctx, m, &clusterpb.SelectInputRequest{Name: name, Index: int32(index)})
}

func (r remoteCalls) Stop(ctx context.Context, m Member, name string) error {
	return r.done(ctx, m, &clusterpb.StopStreamRequest{Name: name})
}

func (r remoteCalls) done(ctx context.Context, m Member, req any) error {
	rep, err := kit.Ask[*clusterpb.Done](ctx, r.root, r.pid(m), req)
	if err != nil {
		return fmt.Errorf("cluster: %T to %s: %w", req, m.Name, err)
	}
	return fromFailure(rep.GetErr())
}
