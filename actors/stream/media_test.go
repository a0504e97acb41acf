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
	"streamhive/actors/kit"
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
