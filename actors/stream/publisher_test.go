package stream_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/input"
	"streamhive/actors/kit"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/media"
)

// TestAcceptPublisher: an outside publisher takes the publish:// input's
// slot, a newer one takes it over, and only the holder's release frees it.
func TestAcceptPublisher(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		probe := kittest.NewProbe(t, sys)
		pid, status := spawnMediaStream(t, probe, config.Stream{Name: "live1", MediaOptions: config.MediaOptions{
			Inputs: []config.Input{{URL: "publish://"}},
		}}, input.Builtin(), nil)
		ctx := context.Background()
		accept := func(stats *media.InputStats) *stream.AcceptPublisherReply {
			t.Helper()
			rep, err := kit.Ask[*stream.AcceptPublisherReply](ctx, sys.Root, pid, &stream.AcceptPublisher{
				Tracks: []media.Track{{ID: 0, Codec: media.CodecAAC, SampleRate: 48000, Channels: 2, AudioConfig: []byte{0x11, 0x90}}},
				Peer:   "127.0.0.1:5000", Stats: stats,
			})
			if err != nil || rep.Err != nil {
				t.Fatalf("AcceptPublisher: %v %v", err, rep)
			}
			return rep
		}
		c, _ := status.Load().Playback.Subscribe()
		defer c.Close()

		counters := new(media.InputStats)
		counters.Bytes.Store(1234)
		one := accept(counters)
		synctest.Wait()
		st := status.Load().Stats(time.Now())
		if !st.Alive || st.State != stream.StateRunning || st.Inputs[0].Bytes != 1234 || st.Inputs[0].State != stream.InputRunning {
			t.Errorf("with a publisher: %+v, want alive running, input running with the connection's 1234 bytes", st)
		}
		one.Sink.WriteFrame(audioFrame(0))

		two := accept(nil)
		one.Sink.WriteFrame(audioFrame(time.Second))
		two.Sink.WriteFrame(audioFrame(0))
		if got := received(c); got != 2 {
			t.Errorf("consumer got %d frames, want 2 (the old publisher's write after the takeover is dropped)", got)
		}
		sys.Root.Send(pid, &stream.ReleasePublisher{Session: one.Session}) // stale: no-op
		synctest.Wait()
		if !status.Load().Stats(time.Now()).Alive {
			t.Errorf("a stale release ended the current publication")
		}
		sys.Root.Send(pid, &stream.ReleasePublisher{Session: two.Session})
		synctest.Wait()
		if st := status.Load().Stats(time.Now()); st.Alive || st.State != stream.StateWaiting || st.Inputs[0].State != stream.InputWaiting {
			t.Errorf("after the release: %+v, want waiting", st)
		}
		// Idle, the stream stops sampling once its rates are down to 0:
		// its status stops changing.
		time.Sleep(10 * time.Second)
		synctest.Wait()
		idle := status.Load()
		time.Sleep(time.Minute)
		synctest.Wait()
		if status.Load() != idle || idle.Bitrate != 0 {
			t.Errorf("an idle stream keeps publishing statuses (bitrate %d)", idle.Bitrate)
		}

		other, _ := spawnMediaStream(t, probe, config.Stream{Name: "pulled", MediaOptions: config.MediaOptions{
			Inputs: []config.Input{{URL: "hand://"}},
		}}, input.Pullers{"hand": &handPuller{}}, nil)
		rep, err := kit.Ask[*stream.AcceptPublisherReply](ctx, sys.Root, other, &stream.AcceptPublisher{})
		if err != nil || !errors.Is(rep.Err, stream.ErrNoPublishInput) {
			t.Errorf("AcceptPublisher on a stream without publish:// = %v %v, want ErrNoPublishInput", err, rep)
		}
	})
}
