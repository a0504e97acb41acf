package cluster

import (
	"context"
	"encoding/json"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/media/stats"
	"streamhive/protocols/clusterpb"
)

// ActorName is the cluster actor's name on every node: another node
// reaches it at actor.NewPID(member.Address, ActorName).
const ActorName = "streamhive-cluster"

// callTimeout bounds what the cluster actor waits for on this node's
// streams before it answers; the caller's own timeout is its business.
const callTimeout = 5 * time.Second

// Local is what the cluster actor asks of this node's streams (the
// server's methods of the same names).
type Local interface {
	Stats(name string) (stats.Stream, bool)
	SelectInput(ctx context.Context, name string, index int) error
	StopStream(ctx context.Context, name string) error
}

// clusterActor answers other nodes' calls from this node's streams. Calls
// that wait on a stream run in a goroutine that sends the reply itself, so
// one slow stream does not hold the mailbox.
type clusterActor struct {
	local Local
	info  func() NodeInfo
	name  func() string
}

func (a *clusterActor) Receive(c actor.Context) {
	switch m := c.Message().(type) {
	case *clusterpb.NodeInfoRequest:
		i := a.info()
		c.Respond(&clusterpb.NodeInfoReply{Id: i.ID, Address: i.Address, Api: i.API, Name: a.name()})
	case *clusterpb.StreamStatsRequest:
		c.Respond(a.stats(m.GetName()))
	case *clusterpb.SelectInputRequest:
		a.later(c, func(ctx context.Context) error {
			return a.local.SelectInput(ctx, m.GetName(), int(m.GetIndex()))
		})
	case *clusterpb.StopStreamRequest:
		a.later(c, func(ctx context.Context) error { return a.local.StopStream(ctx, m.GetName()) })
	}
}

func (a *clusterActor) stats(name string) *clusterpb.StreamStatsReply {
	st, ok := a.local.Stats(name)
	if !ok {
		return &clusterpb.StreamStatsReply{}
	}
	b, err := json.Marshal(st)
	if err != nil {
		return &clusterpb.StreamStatsReply{Err: failure(err)}
	}
	return &clusterpb.StreamStatsReply{Running: true, StatsJson: b}
}

// later runs call off the mailbox and answers the sender with its error.
func (a *clusterActor) later(c actor.Context, call func(context.Context) error) {
	sender, root := c.Sender(), c.ActorSystem().Root
	if sender == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		root.Send(sender, &clusterpb.Done{Err: failure(call(ctx))})
	}()
}
