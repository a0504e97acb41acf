package listener

import (
	"context"
	"errors"
	"net"
	"testing"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/kit/kittest"
	"streamhive/media"
)

// TestPublisher: the exported publish path refuses at Admit what the
// listeners refuse, and a publication it accepts feeds the stream with the
// caller's counters until released.
func TestPublisher(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		lookup, withDead := publishFixture(t, sys, "live1")
		p := NewPublisher(sys.Root, withDead, nil)
		peer := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5000}
		for _, tt := range append([]refusal{{"live1", nil}}, refusals...) {
			if err := p.Admit(context.Background(), media.StreamName(tt.name), peer); !errors.Is(err, tt.want) {
				t.Errorf("Admit(%s) = %v, want %v", tt.name, err, tt.want)
			}
		}

		checkFeeds(t, lookup, feedCase{stream: "live1", publish: func(ctx context.Context) (media.Sink, func(), error) {
			return p.Publish(ctx, "live1", aac, peer)
		}})
	})
}
