package stream_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/input"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/mediatest"
)

// clipPuller publishes the embedded clip's tracks and writes its frames
// looped, each when its DTS comes due (fake time in a bubble), until
// stopped.
type clipPuller struct{ clip *mediatest.Clip }

func (p clipPuller) Pull(ctx context.Context, _ string, _ map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	sink, err := publish(p.clip.Tracks)
	if err != nil {
		return err
	}
	stats := media.InputStatsFrom(ctx)
	start := time.Now()
	for _, f := range p.clip.Loop(time.Hour) {
		if d := time.Until(start.Add(f.DTS)); d > 0 {
			select {
			case <-time.After(d):
			case <-ctx.Done():
				return nil
			}
		}
		sink.WriteFrame(f)
		stats.Bytes.Add(uint64(f.Size()))
		stats.Frames.Add(1)
	}
	<-ctx.Done()
	return nil
}

func loadClip(t *testing.T) *mediatest.Clip {
	t.Helper()
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	return clip
}

// fakeJPEG counts the keyframes it was asked to turn into pictures.
type fakeJPEG struct {
	mu   sync.Mutex
	seen []*media.Frame
}

func (j *fakeJPEG) encode(_ media.Track, f *media.Frame) ([]byte, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.seen = append(j.seen, f)
	return []byte{0xff, 0xd8, byte(len(j.seen))}, nil
}

func (j *fakeJPEG) calls() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.seen)
}

func spawnMediaStream(t *testing.T, probe *kittest.Probe, cfg config.Stream,
	pullers input.Pullers, jpeg *fakeJPEG,
) (*actor.PID, *atomic.Pointer[stream.Status]) {
	t.Helper()
	status := new(atomic.Pointer[stream.Status])
	c := stream.Config{
		Stream:     cfg,
		Input:      func(s stream.InputSpec) *actor.Props { return input.Props(input.Config{Spec: s, Pullers: pullers}) },
		Supervisor: noJitter,
		Status:     status,
	}
	if jpeg != nil {
		c.Preview = jpeg.encode
	}
	pid := probe.SpawnNamed(stream.Props(c), cfg.Name)
	synctest.Wait()
	return pid, status
}

// TestInputFeedsTheSegmenter runs a stream fed by the clip for ten seconds
// of fake time: the packager cuts segments, the stats show the media, and
// the preview is made once per keyframe.
func TestInputFeedsTheSegmenter(t *testing.T) {
	clip := loadClip(t)
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		jpeg := &fakeJPEG{}
		probe := kittest.NewProbe(t, sys)
		_, status := spawnMediaStream(t, probe, config.Stream{Name: "cam1", MediaOptions: config.MediaOptions{
			Inputs: []config.Input{{URL: "clip://"}}, SegmentDuration: 2000, SegmentCount: 3,
		}}, input.Pullers{"clip": clipPuller{clip}}, jpeg)

		pb := status.Load().Playback
		if pb == nil || pb.Segmenter() == nil {
			t.Fatalf("no playback handle after start")
		}
		time.Sleep(10*time.Second + 10*time.Millisecond)
		synctest.Wait()

		w := pb.Segmenter().Window()
		if len(w.Segments) != 3 || w.TargetDuration != 2*time.Second {
			t.Errorf("window has %d segments of target %v, want 3 (segment_count) of 2s", len(w.Segments), w.TargetDuration)
		}
		if w.Segments[0].MSN < 1 {
			t.Errorf("first MSN in the window %d: the window did not slide", w.Segments[0].MSN)
		}

		st := status.Load().Stats(time.Now())
		if !st.Alive || st.State != stream.StateRunning {
			t.Errorf("alive %v status %q, want alive running", st.Alive, st.State)
		}
		if st.Bitrate <= 0 || st.Inputs[0].Bitrate <= 0 {
			t.Errorf("bitrate %d, input bitrate %d: want both > 0", st.Bitrate, st.Inputs[0].Bitrate)
		}
		if st.LastFrame.IsZero() || st.LastFrameAgo > 100*time.Millisecond {
			t.Errorf("last frame %v, %v ago: want one a few ms ago", st.LastFrame, st.LastFrameAgo)
		}
		if len(st.Tracks) != 2 {
			t.Fatalf("tracks %+v, want two", st.Tracks)
		}
		if v := st.Tracks[0]; v.Codec != media.CodecH264 || v.Width != 320 || v.Height != 180 || v.FPS != 25 {
			t.Errorf("video track %+v, want h264 320x180 at 25 fps", v)
		}
		if a := st.Tracks[1]; a.Codec != media.CodecAAC || a.SampleRate != 44100 || a.Channels != 2 {
			t.Errorf("audio track %+v, want aac 44100 Hz stereo", a)
		}

		ctx := context.Background()
		first, err := pb.Preview(ctx)
		if err != nil {
			t.Fatalf("Preview: %v", err)
		}
		again, _ := pb.Preview(ctx)
		if jpeg.calls() != 1 || string(again) != string(first) {
			t.Errorf("two previews of one keyframe made %d pictures, want 1 (cached)", jpeg.calls())
		}
		time.Sleep(time.Second) // the next keyframe
		synctest.Wait()
		if _, err := pb.Preview(ctx); err != nil || jpeg.calls() != 2 {
			t.Errorf("preview after the next keyframe: err %v, %d pictures, want a new one", err, jpeg.calls())
		}
		if !jpeg.seen[1].Keyframe || jpeg.seen[1].Track != 0 {
			t.Errorf("preview made from %+v, want a video keyframe", jpeg.seen[1])
		}
	})
}

// crash makes a stream actor panic (through the middleware below).
type crash struct{}

func crashOn(next actor.ReceiverFunc) actor.ReceiverFunc {
	return func(c actor.ReceiverContext, env *actor.MessageEnvelope) {
		if _, ok := env.Message.(*crash); ok {
			panic("stream: crash requested by the test")
		}
		next(c, env)
	}
}

// TestStopAndRestartReleaseTheMediaPlane: stopping the stream closes its
// hub and segmenter; a crash gives the new instance a fresh media plane
// and releases the old one. kittest.Run fails the test if a packager
// goroutine outlives the bubble.
func TestStopAndRestartReleaseTheMediaPlane(t *testing.T) {
	clip := loadClip(t)
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		probe := kittest.NewProbe(t, sys, actor.WithSupervisor(noJitter))
		status := new(atomic.Pointer[stream.Status])
		pullers := input.Pullers{"clip": clipPuller{clip}}
		props := stream.Props(stream.Config{
			Stream: config.Stream{Name: "cam1", MediaOptions: config.MediaOptions{Inputs: []config.Input{{URL: "clip://"}}}},
			Input: func(s stream.InputSpec) *actor.Props {
				return input.Props(input.Config{Spec: s, Pullers: pullers})
			},
			Supervisor: noJitter,
			Status:     status,
		}).Configure(actor.WithReceiverMiddleware(crashOn))
		pid := probe.SpawnNamed(props, "cam1")
		time.Sleep(3 * time.Second)
		synctest.Wait()

		first := status.Load().Playback
		if len(first.Segmenter().Window().Segments) == 0 {
			t.Fatalf("no segments before the crash")
		}
		consumer, _ := first.Subscribe()
		sys.Root.Send(pid, &crash{})
		time.Sleep(2 * time.Second) // the restart backoff
		synctest.Wait()

		if !first.Segmenter().Window().Ended {
			t.Errorf("the crashed instance's segmenter is still open")
		}
		// The consumer got the GOP cache at Subscribe: drain it. A hub left
		// open would block Read until the deadline.
		readCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		var err error
		for err == nil {
			_, err = consumer.Read(readCtx)
		}
		if !errors.Is(err, hub.ErrClosed) {
			t.Errorf("consumer of the crashed hub: %v, want hub.ErrClosed", err)
		}
		second := status.Load().Playback
		if second == first || second.Segmenter() == first.Segmenter() {
			t.Fatalf("the restarted stream kept the old media plane")
		}
		time.Sleep(3 * time.Second)
		synctest.Wait()
		if len(second.Segmenter().Window().Segments) == 0 || !status.Load().Stats(time.Now()).Alive {
			t.Errorf("the restarted stream produces nothing")
		}

		if err := sys.Root.StopFuture(pid).Wait(); err != nil {
			t.Fatal(err)
		}
		if !second.Segmenter().Window().Ended {
			t.Errorf("a stopped stream's segmenter is still open")
		}
	})
}

// TestUpdateProtocolsKeepsTheSegmenter: a `protocols` change gives the
// stream a new Playback over the same segmenter, so players carry on.
func TestUpdateProtocolsKeepsTheSegmenter(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		probe := kittest.NewProbe(t, sys)
		cfg := config.Stream{Name: "cam1", MediaOptions: config.MediaOptions{Inputs: []config.Input{{URL: "publish://"}}}}
		pid, status := spawnMediaStream(t, probe, cfg, input.Builtin(), nil)
		before := status.Load().Playback
		if !before.Enabled("hls") || !before.Enabled("dash") {
			t.Fatalf("outputs are off without a protocols directive")
		}
		off := false
		cfg.Protocols = &config.Protocols{HLS: &off}
		sys.Root.Send(pid, &stream.Update{Config: cfg})
		synctest.Wait()
		after := status.Load().Playback
		if after.Enabled("hls") || !after.Enabled("dash") {
			t.Errorf("after protocols hls=false: hls %v dash %v, want false true", after.Enabled("hls"), after.Enabled("dash"))
		}
		if after.Segmenter() != before.Segmenter() {
			t.Errorf("a protocols change replaced the segmenter")
		}

		var none *stream.Playback
		if none.Segmenter() != nil || !none.Enabled("hls") {
			t.Errorf("a nil Playback must have no segmenter and allow every output")
		}
		if _, err := none.Preview(context.Background()); !errors.Is(err, stream.ErrNoPicture) {
			t.Errorf("nil Playback Preview = %v, want ErrNoPicture", err)
		}
		if _, err := before.Preview(context.Background()); !errors.Is(err, stream.ErrNoPicture) {
			t.Errorf("Preview before any keyframe = %v, want ErrNoPicture", err)
		}
	})
}
