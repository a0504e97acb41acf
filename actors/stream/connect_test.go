package stream_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/input"
	"streamhive/actors/kit/kittest"
	"streamhive/media"
	"streamhive/media/hub"
)

// handPuller publishes and hands the sink it got to the test; each pull
// fails when the test calls fail.
type handPuller struct {
	mu    sync.Mutex
	sinks []media.Sink
	fails []chan struct{}
}

func (p *handPuller) Pull(ctx context.Context, _ string, _ map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	fail := make(chan struct{})
	sink, err := publish([]media.Track{{ID: 0, Codec: media.CodecAAC, SampleRate: 48000, Channels: 2, AudioConfig: []byte{0x11, 0x90}}})
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.sinks = append(p.sinks, sink)
	p.fails = append(p.fails, fail)
	p.mu.Unlock()
	select {
	case <-fail:
		return errors.New("source lost")
	case <-ctx.Done():
		return nil
	}
}

func (p *handPuller) sink(i int) media.Sink {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sinks[i]
}

func (p *handPuller) fail(i int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	close(p.fails[i])
}

// received returns what c has queued, without blocking.
func received(c *hub.Consumer) int {
	n := 0
	for {
		select {
		case <-c.C():
			n++
		default:
			return n
		}
	}
}

func audioFrame(dts time.Duration) *media.Frame {
	return &media.Frame{Track: 0, DTS: dts, PTS: dts, Keyframe: true, Data: [][]byte{{1, 2, 3}}}
}

// TestGrantIsRevokedOnFailure: the hub takes frames from the input's grant
// only until the input fails; its restarted run gets a new grant.
func TestGrantIsRevokedOnFailure(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		p := &handPuller{}
		probe := kittest.NewProbe(t, sys)
		_, status := spawnMediaStream(t, probe, config.Stream{Name: "cam1", MediaOptions: config.MediaOptions{
			Inputs: []config.Input{{URL: "hand://"}},
		}}, input.Pullers{"hand": p}, nil)
		c, err := status.Load().Playback.Subscribe()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()

		p.sink(0).WriteFrame(audioFrame(0))
		if got := received(c); got != 1 {
			t.Fatalf("consumer got %d frames from the granted input, want 1", got)
		}
		p.fail(0)
		synctest.Wait()
		if st := status.Load(); st.Active != -1 || st.Tracks != nil {
			t.Errorf("after the failure: active %d tracks %v, want none", st.Active, st.Tracks)
		}
		p.sink(0).WriteFrame(audioFrame(time.Second))
		if got := received(c); got != 0 {
			t.Errorf("consumer got %d frames from a revoked grant, want 0", got)
		}

		time.Sleep(time.Second) // the restart
		synctest.Wait()
		p.sink(1).WriteFrame(audioFrame(2 * time.Second))
		if got := received(c); got != 1 {
			t.Errorf("consumer got %d frames from the restarted input, want 1", got)
		}
		p.sink(0).WriteFrame(audioFrame(3 * time.Second))
		if got := received(c); got != 0 {
			t.Errorf("the first run's grant came back to life")
		}
	})
}
