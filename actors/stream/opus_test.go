package stream_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/input"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/transcoder"
	"streamhive/media"
	"streamhive/media/hub"
)

// TestOpusComesAndGoesUnseenByHLS: while a viewer wants Opus, the
// consumers of SubscribeAll read an Opus track of the clip's AAC; the
// segmenter (HLS, DASH) and a plain consumer see nothing of it: the same
// init and tracks, no discontinuity, no restart, no lost frame, before,
// during and after. An encoder still wanted stops with its stream.
func TestOpusComesAndGoesUnseenByHLS(t *testing.T) {
	clip := loadClip(t)
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		probe := kittest.NewProbe(t, sys)
		_, status := spawnMediaStream(t, probe, config.Stream{Name: "cam1", MediaOptions: config.MediaOptions{
			Inputs: []config.Input{{URL: "clip://"}}, SegmentDuration: 1000, SegmentCount: 30,
		}}, input.Pullers{"clip": clipPuller{clip}}, nil)
		pb := status.Load().Playback
		time.Sleep(3 * time.Second)
		synctest.Wait()
		plain, err := pb.Subscribe()
		if err != nil {
			t.Fatal(err)
		}
		defer plain.Close()
		all, _ := pb.SubscribeAll()
		defer all.Close()
		before := pb.Window()

		release, err := pb.WantOpus()
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(4 * time.Second)
		synctest.Wait()
		opus, others, tracks := drain(all)
		if opus < 150 || others == 0 || len(tracks) != 3 || tracks[2].Codec != media.CodecOpus {
			t.Errorf("SubscribeAll read %d Opus frames in 4 s (want 20 ms packets) and %d others; tracks %+v", opus, others, tracks)
		}
		release()
		time.Sleep(transcoder.DefaultOpusGrace + 3*time.Second)
		synctest.Wait()
		if _, _, tracks = drain(all); len(tracks) != 2 {
			t.Errorf("the Opus track outlived its viewer and the grace: %+v", tracks)
		}

		if n, _, tracks := drain(plain); n != 0 || plain.Dropped() != 0 || len(tracks) != 2 || tracks[0].ID != 0 {
			t.Errorf("a plain consumer read %d Opus frames, dropped %d, tracks %+v", n, plain.Dropped(), tracks)
		}
		after := pb.Window()
		if after.Init != before.Init || len(after.Tracks) != 2 {
			t.Errorf("init epoch %d -> %d, tracks %+v", before.Init.Epoch, after.Init.Epoch, after.Tracks)
		}
		last := before.Segments[len(before.Segments)-1].MSN
		seen := 0
		for _, s := range after.Segments {
			if s.MSN <= last {
				continue
			}
			seen++
			if s.Discontinuity || s.Init != before.Init || s.MSN != last+uint64(seen) {
				t.Errorf("segment %d: discontinuity %v, epoch %d", s.MSN, s.Discontinuity, s.Init.Epoch)
			}
		}
		if seen < 10 {
			t.Errorf("%d segments cut while Opus came and went, want about 12", seen)
		}

		// A viewer still holding Opus when the stream stops: the bubble
		// fails if the encoder's goroutine outlives the stream.
		if _, err := pb.WantOpus(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second)
		synctest.Wait()
	})
}

// drain reads what c has queued: the frames of derived tracks, the others
// and the track list of the last frame.
func drain(c *hub.Consumer) (derived, others int, tracks []media.Track) {
	for {
		select {
		case d := <-c.C():
			tracks = d.Tracks.List
			if d.Frame.Track >= hub.DerivedTrackBase {
				derived++
			} else {
				others++
			}
		default:
			return derived, others, tracks
		}
	}
}
