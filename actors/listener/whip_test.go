package listener

import (
	"context"
	"errors"
	"net"
	"testing"
	"testing/synctest"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/media"
)

// TestPublisher: the exported publish path refuses at Admit what the
// listeners refuse, and a publication it accepts feeds the stream with the
// caller's counters until released.
func TestPublisher(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		lookup := spawnStreams(t, sys, publishStream("live1"),
			config.Stream{Name: "pulled", MediaOptions: config.MediaOptions{Inputs: []config.Input{{URL: "none://"}}}})
		down := &stream.Status{Name: "dead", State: stream.StateError, Active: -1}
		p := NewPublisher(sys.Root, func(name string) (*stream.Status, bool) {
			if name == "dead" {
				return down, true
			}
			return lookup(name)
		})
		peer := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5000}
		for _, tt := range []struct {
			name string
			want error
		}{
			{"live1", nil},
			{"nope", ErrNoStream},
			{"dead", ErrStreamDown},
			{"pulled", stream.ErrNoPublishInput},
		} {
			if err := p.Admit(media.StreamName(tt.name), peer); !errors.Is(err, tt.want) {
				t.Errorf("Admit(%s) = %v, want %v", tt.name, err, tt.want)
			}
		}

		stats := new(media.InputStats)
		sink, release, err := p.Publish(media.WithInputStats(context.Background(), stats), "live1", aac, peer)
		if err != nil {
			t.Fatalf("Publish: %v", err)
		}
		synctest.Wait()
		st, _ := lookup("live1")
		if st.Active != 0 || st.Inputs[0].Stats != stats {
			t.Errorf("after Publish: active %d, stats %p; want input 0 with %p", st.Active, st.Inputs[0].Stats, stats)
		}
		c, _ := st.Playback.Subscribe()
		defer c.Close()
		sink.WriteFrame(&media.Frame{Keyframe: true, Data: [][]byte{{1}}})
		if len(c.C()) != 1 {
			t.Errorf("the sink does not feed the stream's hub")
		}
		release()
		synctest.Wait()
		if st, _ := lookup("live1"); st.Active != -1 {
			t.Errorf("after release: active %d, want -1", st.Active)
		}
	})
}
