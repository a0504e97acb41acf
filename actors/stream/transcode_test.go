package stream_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/input"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/media"
	"streamhive/media/segment"
	"streamhive/media/stats"
)

// TestTranscoderFeedsTheSegmenter runs a stream with a transcoder line
// fed by the clip (320x180) in fake time: its segments carry the two
// renditions and the audio, the stats show the transcoder, and a changed
// ladder restarts the transcoder with the new renditions.
func TestTranscoderFeedsTheSegmenter(t *testing.T) {
	clip := loadClip(t)
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		probe := kittest.NewProbe(t, sys)
		cfg := config.Stream{Name: "tc", MediaOptions: config.MediaOptions{
			Inputs: []config.Input{{URL: "clip://"}}, SegmentDuration: 1000,
			Transcoder: &config.Transcoder{Video: []config.TranscoderVideo{
				{Bitrate: 200_000, Width: 160, Height: 90, Preset: "ultrafast"},
				{Bitrate: 100_000, Width: 80, Height: 46, Preset: "ultrafast"},
			}},
		}}
		pid, status := spawnMediaStream(t, probe, cfg, input.Pullers{"clip": clipPuller{clip}}, &fakeJPEG{})
		time.Sleep(4 * time.Second)
		synctest.Wait()

		w := status.Load().Playback.Segmenter().Window()
		if !sizes(w, [][2]int{{160, 90}, {80, 46}}) || len(w.Segments) < 2 {
			t.Fatalf("window tracks %+v, %d segments", w.Tracks, len(w.Segments))
		}
		st := status.Load().Stats(time.Now())
		if st.Transcoder == nil || len(st.Transcoder.Renditions) != 2 || st.Transcoder.Renditions[1].FramesOut == 0 ||
			st.Transcoder.State != stats.TranscoderRunning || st.Transcoder.Encoder == "" || st.Transcoder.Encoder == "h264_nvenc" {
			t.Fatalf("transcoder stats %+v", st.Transcoder)
		}
		if len(st.Tracks) != 3 || st.Tracks[1].Width != 80 {
			t.Errorf("tracks %+v, want the two renditions and audio", st.Tracks)
		}

		cfg.Transcoder = &config.Transcoder{Video: []config.TranscoderVideo{{Bitrate: 100_000, Width: 96, Height: 54, Preset: "ultrafast"}}}
		sys.Root.Send(pid, &stream.Update{Config: cfg})
		time.Sleep(4 * time.Second)
		synctest.Wait()
		if w := status.Load().Playback.Segmenter().Window(); !sizes(w, [][2]int{{96, 54}}) {
			t.Errorf("after the change, window tracks %+v", w.Tracks)
		}
		if st := status.Load().Stats(time.Now()); st.Transcoder == nil || len(st.Transcoder.Renditions) != 1 {
			t.Errorf("after the change, transcoder stats %+v", st.Transcoder)
		}
	})
}

// sizes reports whether w's video tracks have these sizes, followed by
// one audio track.
func sizes(w *segment.Window, want [][2]int) bool {
	if len(w.Tracks) != len(want)+1 || w.Tracks[len(want)].Codec != media.CodecAAC {
		return false
	}
	for i, s := range want {
		if w.Tracks[i].Width != s[0] || w.Tracks[i].Height != s[1] {
			return false
		}
	}
	return true
}
