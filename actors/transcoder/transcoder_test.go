package transcoder

import (
	"context"
	"strings"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/kit"
	"streamhive/media"
	"streamhive/media/hub"
	"streamhive/media/mediatest"
	"streamhive/media/transcode"
	"streamhive/supervision"
)

// rig runs a transcoder for spec between two hubs and feeds the source
// hub the test clip (320x180 H.264 + AAC) for d.
type rig struct {
	src, out *hub.Hub
	stats    *transcode.Stats
	c        *hub.Consumer
}

func start(t *testing.T, spec config.Transcoder, d time.Duration) *rig {
	t.Helper()
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{src: hub.New(hub.Options{QueueLen: 4096}), out: hub.New(hub.Options{}), stats: NewStats(spec)}
	r.c = r.out.Subscribe()
	sys := kit.NewSystem(nil)
	pid := sys.Root.Spawn(Props(Config{
		Stream: "t", Spec: spec, SegmentDuration: time.Second, Source: r.src, Output: r.out, Stats: r.stats,
		Supervisor: &supervision.RestartWithBackoff{Backoff: supervision.Backoff{Initial: 10 * time.Millisecond, Max: 20 * time.Millisecond}},
	}))
	t.Cleanup(func() {
		if err := sys.Root.StopFuture(pid).Wait(); err != nil {
			t.Error(err)
		}
		r.src.Close()
		r.out.Close()
	})
	mediatest.WaitFor(t, 20*time.Second, "the session to subscribe", func() bool { return r.src.Stats().Consumers == 1 })
	w := r.src.NewWriter()
	r.src.SetTracks(clip.Tracks)
	for _, f := range clip.Loop(d) {
		w.WriteFrame(f)
	}
	return r
}

// read reads n frames from the output hub.
func (r *rig) read(t *testing.T, n int) []*media.Frame {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var frames []*media.Frame
	for len(frames) < n {
		f, err := r.c.Read(ctx)
		if err != nil {
			t.Fatalf("after %d frames: %v", len(frames), err)
		}
		frames = append(frames, f)
	}
	return frames
}

func ladderSpec(global *config.TranscoderGlobal) config.Transcoder {
	return config.Transcoder{Global: global, Video: []config.TranscoderVideo{
		{Bitrate: 300_000, Width: 160, Height: 90}, {Bitrate: 100_000, Width: 80, Height: 46},
	}}
}

func TestSoftwareLadder(t *testing.T) {
	r := start(t, ladderSpec(nil), 4*time.Second)
	frames := r.read(t, 150)
	tracks := r.c.Tracks().List
	if len(tracks) != 3 || tracks[0].Width != 160 || tracks[1].Width != 80 || tracks[2].Codec != media.CodecAAC {
		t.Fatalf("output tracks %+v", tracks)
	}
	keys := map[int][]time.Duration{}
	for _, f := range frames {
		if f.Keyframe && f.Track < 2 {
			keys[f.Track] = append(keys[f.Track], f.PTS)
		}
	}
	if len(keys[0]) == 0 || len(keys[0]) < len(keys[1])-1 || keys[0][0] != keys[1][0] {
		t.Errorf("keyframes %v and %v", keys[0], keys[1])
	}
	if st, _ := r.stats.State(); st != transcode.StateRunning || r.stats.Device() != "libx264" || r.stats.FramesIn.Load() == 0 {
		t.Errorf("state %s device %s frames in %d", st, r.stats.Device(), r.stats.FramesIn.Load())
	}
}

func TestNVENCWithoutDevice(t *testing.T) {
	id := 3
	r := start(t, ladderSpec(&config.TranscoderGlobal{HW: "nvenc", DeviceID: &id}), 2*time.Second)
	mediatest.WaitFor(t, 20*time.Second, "the error", func() bool { st, _ := r.stats.State(); return st == transcode.StateError })
	_, msg := r.stats.State()
	if !strings.Contains(msg, "hardware encoder unavailable") || !strings.Contains(msg, "h264_nvenc on device 3") {
		t.Errorf("error %q does not say what failed", msg)
	}
	mediatest.WaitFor(t, 20*time.Second, "a restart", func() bool { return r.stats.Restarts.Load() >= 1 })
	if r.out.Tracks().List != nil {
		t.Errorf("output tracks %+v without an encoder", r.out.Tracks().List)
	}
}

func TestNVENCFallsBackToCPU(t *testing.T) {
	r := start(t, ladderSpec(&config.TranscoderGlobal{HW: "nvenc", Fallback: "cpu"}), 2*time.Second)
	r.read(t, 20)
	st, msg := r.stats.State()
	if st != transcode.StateRunning || !r.stats.Fallback() || r.stats.Device() != "libx264" || !strings.Contains(msg, "nvenc") {
		t.Errorf("state %s (%q) fallback %v device %s", st, msg, r.stats.Fallback(), r.stats.Device())
	}
}

func TestLadderFromSpec(t *testing.T) {
	b, id := 2, 1
	spec := config.Transcoder{
		Global: &config.TranscoderGlobal{HW: "nvenc", DeviceID: &id, FPS: 30, GOP: 60},
		Video:  []config.TranscoderVideo{{Bitrate: 1e6, Width: 640, Height: 360, Preset: "fast", BFrames: &b, Deinterlace: true, Logo: &config.Logo{Path: "/l.png", Position: "br"}}},
		Audio:  &config.TranscoderAudio{Codec: "opus", Bitrate: 96000},
	}
	l := Ladder(spec, 4*time.Second)
	r := l.Renditions[0]
	if l.Encoder != "h264_nvenc" || l.Device != 1 || l.FPS != 30 || l.GOP != 60 || l.KeyInterval != 4*time.Second ||
		r.BFrames != 2 || !r.Deinterlace || r.Logo.Position != "br" || r.Preset != "fast" ||
		l.Audio.Codec != media.CodecOpus || l.Audio.Bitrate != 96000 || sessionName(l) != "nvenc-1" {
		t.Errorf("ladder %+v", l)
	}
	if l := Ladder(config.Transcoder{Video: spec.Video, Audio: &config.TranscoderAudio{}}, 4*time.Second); l.Audio != nil || l.KeyInterval != 4*time.Second || sessionName(l) != "cpu" {
		t.Errorf("ladder %+v", l)
	}
}

// TestLadderDocumentedOptions: vcodec, profile, deinterlace_rate, a size
// side of -1, gop without fps and ab=copy reach the ladder.
func TestLadderDocumentedOptions(t *testing.T) {
	spec := config.Transcoder{
		Global: &config.TranscoderGlobal{GOP: 50},
		Video: []config.TranscoderVideo{{
			Bitrate: 1e6, Width: -1, Height: 180, Codec: "hevc", Profile: "main", Deinterlace: true, DeinterlaceRate: "field",
		}},
		Audio: &config.TranscoderAudio{Copy: true},
	}
	l := Ladder(spec, 2*time.Second)
	r := l.Renditions[0]
	if r.Width != 0 || r.Height != 180 || r.Codec != media.CodecH265 || r.Profile != "main" || !r.Deinterlace || !r.FieldRate ||
		l.GOP != 50 || l.Audio != nil || l.Encoder != "" {
		t.Errorf("ladder %+v", l)
	}
	spec.Audio = &config.TranscoderAudio{Channels: 1, SampleRate: 44100}
	if a := Ladder(spec, 2*time.Second).Audio; a == nil || a.Codec != media.CodecAAC || a.Channels != 1 || a.SampleRate != 44100 {
		t.Errorf("audio %+v", a)
	}
}
