package streams_test

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/cluster"
	"streamhive/actors/config"
	"streamhive/actors/input"
	"streamhive/actors/kit"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/stream"
	"streamhive/actors/streams"
	"streamhive/media"
	"streamhive/media/dvr"
)

// recordingPuller stands for a real puller (the m4f one, a camera's): it
// records the URLs it is asked to pull and waits for its end.
type recordingPuller struct {
	mu   sync.Mutex
	urls []string
}

func (p *recordingPuller) Pull(ctx context.Context, url string, _ map[string]string,
	_ func([]media.Track) (media.Sink, error),
) error {
	p.mu.Lock()
	p.urls = append(p.urls, url)
	p.mu.Unlock()
	<-ctx.Done()
	return ctx.Err()
}

func (p *recordingPuller) pulled(url string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Contains(p.urls, url)
}

// writers counts the DVR writers running: the fake DVR the supervisor's
// streams get starts one per recording stream.
type writers struct{ n atomic.Int64 }

type fakeArchive struct{ dvr.Archive }

func (w *writers) start(stream.DVRSpec) (dvr.Archive, *actor.Props, error) {
	return fakeArchive{}, actor.PropsFromFunc(func(ctx actor.Context) {
		switch ctx.Message().(type) {
		case *actor.Started:
			w.n.Add(1)
		case *actor.Stopped:
			w.n.Add(-1)
		}
	}), nil
}

var owner = cluster.Member{ID: "b1", Name: "b:8081", API: "http://10.0.0.2:8081"}

const relayURL = "m4f://10.0.0.2:8081/cam"

// placed starts a supervisor whose Place relays cluster_ingest streams
// from owner until captured is true.
func placed(t *testing.T, sys *actor.ActorSystem, cfg *config.Server, captured *atomic.Bool,
	viewers *atomic.Int64,
) (*harness, *recordingPuller, *writers) {
	t.Helper()
	pull, dvrs := &recordingPuller{}, &writers{}
	h := start(t, sys, cfg, func(c *streams.Config) {
		c.StreamProps = func(sc stream.Config) *actor.Props {
			sc.DVR = dvrs.start
			return stream.Props(sc)
		}
		c.Pullers = input.Builtin().With(input.Pullers{"m4f": pull, "rtsp": pull})
		c.Idle.OnDemand = 5 * time.Second
		c.Viewers = func(string) int { return int(viewers.Load()) }
		c.Place = func(s config.Stream) config.Stream {
			if s.ClusterIngest == nil || captured.Load() {
				return s
			}
			return cluster.RelayConfig(s, owner)
		}
	})
	return h, pull, dvrs
}

// resync is what the Placer's callback sends when placement changes.
func (h *harness) resync(names ...string) {
	h.t.Helper()
	rep, err := kit.Ask[*streams.ApplyReply](context.Background(), h.sys.Root, h.pid,
		&streams.Apply{Diff: config.StreamDiff{Changed: names}})
	if err == nil {
		err = rep.Err
	}
	if err != nil {
		h.t.Fatalf("resync: %v", err)
	}
	synctest.Wait()
}

func ingestCam(t *testing.T, transcoded bool) config.Stream {
	s := config.Stream{Name: "cam", MediaOptions: config.MediaOptions{
		Inputs:        []config.Input{{URL: "rtsp://cam/1"}},
		DVR:           &config.StreamDVR{Root: t.TempDir()},
		Pushes:        []config.Push{{URL: "udp://127.0.0.1:9"}},
		ClusterIngest: &config.ClusterIngest{},
	}}
	if transcoded {
		s.Transcoder = &config.Transcoder{Video: []config.TranscoderVideo{{Bitrate: 100_000, Width: 96, Height: 54}}}
	}
	return s
}

// checkRelay: the stream runs as owner's relay (its m4f input, no DVR
// writer, no pushes, no transcoder).
func checkRelay(t *testing.T, st *stream.Status, pull *recordingPuller, dvrs *writers) {
	t.Helper()
	if st.PID == nil || len(st.Inputs) != 1 || st.Inputs[0].URL != relayURL || !pull.pulled(relayURL) {
		t.Fatalf("relay: pid %v inputs %+v, want one pulling %s", st.PID, st.Inputs, relayURL)
	}
	if len(st.Pushes) != 0 || st.Playback.Archive() != nil || dvrs.n.Load() != 0 || st.Transcoder != nil {
		t.Fatalf("relay: pushes %d, archive %v, DVR writers %d, transcoder %v; want none",
			len(st.Pushes), st.Playback.Archive(), dvrs.n.Load(), st.Transcoder)
	}
}

// checkOwner: the stream captures (its own input, DVR writer, pushes).
func checkOwner(t *testing.T, st *stream.Status, pull *recordingPuller, dvrs *writers, transcoded bool) {
	t.Helper()
	if st.PID == nil || len(st.Inputs) != 1 || st.Inputs[0].URL != "rtsp://cam/1" || !pull.pulled("rtsp://cam/1") {
		t.Fatalf("owner: pid %v inputs %+v, want its camera", st.PID, st.Inputs)
	}
	if len(st.Pushes) != 1 || st.Playback.Archive() == nil || dvrs.n.Load() != 1 || (st.Transcoder != nil) != transcoded {
		t.Fatalf("owner: pushes %d, archive %v, DVR writers %d, transcoder %v",
			len(st.Pushes), st.Playback.Archive(), dvrs.n.Load(), st.Transcoder)
	}
}

// A cluster_ingest stream another node captures runs as a relay, on
// demand; a re-sync after its owner is lost makes it the capture (DVR
// writer and pushes start, in the same actor), and one after a conflict
// lost makes it a relay again (they stop). A transcoder, which a running
// stream cannot add or remove, makes each flip a fresh actor.
func TestPlacedStreamFlipsBetweenRelayAndOwner(t *testing.T) {
	for _, transcoded := range []bool{false, true} {
		kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
			var captured atomic.Bool
			var viewers atomic.Int64
			h, pull, dvrs := placed(t, sys, server(ingestCam(t, transcoded)), &captured, &viewers)
			if st := h.status("cam"); st.PID != nil || st.State != stream.StateStopped {
				t.Fatalf("a relay without viewers runs: pid %v state %q", st.PID, st.State)
			}
			viewers.Store(1)
			if err := h.open("cam", false); err != nil {
				t.Fatalf("open: %v", err)
			}
			relay := h.status("cam")
			checkRelay(t, relay, pull, dvrs)

			captured.Store(true)
			h.resync("cam")
			own := h.status("cam")
			checkOwner(t, own, pull, dvrs, transcoded)
			if same := own.PID.Equal(relay.PID); same == transcoded {
				t.Errorf("relay to owner kept the actor: %v (transcoded %v)", same, transcoded)
			}

			captured.Store(false)
			h.resync("cam")
			back := h.status("cam")
			checkRelay(t, back, pull, dvrs)
			if !transcoded && !back.PID.Equal(own.PID) {
				t.Error("owner to relay restarted the actor without a transcoder change")
			}
			if transcoded && h.exists(own.PID) {
				t.Error("the owner's actor still runs after the flip")
			}

			viewers.Store(0)
			time.Sleep(8 * time.Second)
			synctest.Wait()
			if st := h.status("cam"); st.PID != nil || st.State != stream.StateStopped {
				t.Fatalf("relay after its idle time: pid %v state %q, want asleep", st.PID, st.State)
			}
		})
	}
}

// A relay of a stream that only another node configures: Open starts it,
// it is in no configuration (not in Dynamic), a changed owner re-points
// it in place, and it is gone Idle.OnDemand after its last viewer.
func TestOpenRelayOfAnotherNodesStream(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		var captured atomic.Bool
		var viewers atomic.Int64
		h, pull, dvrs := placed(t, sys, server(), &captured, &viewers)
		viewers.Store(1)
		relay := cluster.RelayConfig(config.Stream{Name: "cam"}, owner)
		if err := h.openRelay("cam", relay); err != nil {
			t.Fatalf("open relay: %v", err)
		}
		st := h.status("cam")
		checkRelay(t, st, pull, dvrs)
		if h.dir.Load().Dynamic() != nil {
			t.Error("a relay is listed with the templates' streams")
		}
		if err := h.openRelay("cam", relay); err != nil || !h.status("cam").PID.Equal(st.PID) {
			t.Fatalf("a second open restarted the relay (%v)", err)
		}
		moved := cluster.RelayConfig(config.Stream{Name: "cam"}, cluster.Member{API: "http://10.0.0.3:8081"})
		if err := h.openRelay("cam", moved); err != nil {
			t.Fatal(err)
		}
		if cur := h.status("cam"); !cur.PID.Equal(st.PID) || cur.Inputs[0].URL != "m4f://10.0.0.3:8081/cam" {
			t.Fatalf("after the owner moved: inputs %+v (same actor %v)", cur.Inputs, cur.PID.Equal(st.PID))
		}
		viewers.Store(0)
		time.Sleep(8 * time.Second)
		synctest.Wait()
		if h.listed("cam") || h.exists(st.PID) {
			t.Fatal("the relay outlived its idle time")
		}
		if err := h.open("cam", false); err == nil {
			t.Fatal("a plain Open started a relay")
		}
	})
}

func (h *harness) openRelay(name string, relay config.Stream) error {
	h.t.Helper()
	rep, err := kit.Ask[*streams.OpenReply](context.Background(), h.sys.Root, h.pid,
		&streams.Open{Name: name, Relay: &relay})
	if err == nil {
		err = rep.Err
	}
	synctest.Wait()
	return err
}

// StopStream ends a relay of another node's stream (its next viewer opens
// it again) and puts a relayed configured stream back to sleep.
func TestStopStreamOfRelays(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		var captured atomic.Bool
		var viewers atomic.Int64
		h, _, _ := placed(t, sys, server(ingestCam(t, false)), &captured, &viewers)
		viewers.Store(1)
		if err := h.openRelay("elsewhere", cluster.RelayConfig(config.Stream{Name: "elsewhere"}, owner)); err != nil {
			t.Fatal(err)
		}
		if err := h.open("cam", false); err != nil {
			t.Fatal(err)
		}
		if err := stopStream(t, h, "elsewhere"); err != nil || h.listed("elsewhere") {
			t.Fatalf("StopStream(relay) = %v, still listed %v", err, h.listed("elsewhere"))
		}
		if err := stopStream(t, h, "cam"); err != nil {
			t.Fatal(err)
		}
		if st := h.status("cam"); st.PID != nil || st.State != stream.StateStopped {
			t.Fatalf("relayed cam after StopStream: pid %v state %q, want asleep", st.PID, st.State)
		}
	})
}

// A held stream (placement not settled, nobody captures it) opens for a
// viewer with nothing to pull, waiting, and captures once placed here.
func TestHeldStreamOpensAndIsPlacedLater(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		var viewers atomic.Int64
		var settled atomic.Bool
		pull := &recordingPuller{}
		h := start(t, sys, server(ingestCam(t, false)), func(c *streams.Config) {
			c.Pullers = input.Builtin().With(input.Pullers{"rtsp": pull})
			c.Viewers = func(string) int { return int(viewers.Load()) }
			c.Place = func(s config.Stream) config.Stream {
				if settled.Load() {
					return s
				}
				return cluster.HeldConfig(s)
			}
		})
		viewers.Store(1)
		if err := h.open("cam", false); err != nil {
			t.Fatal(err)
		}
		if st := h.status("cam"); st.PID == nil || len(st.Inputs) != 0 || st.State != stream.StateWaiting {
			t.Fatalf("held stream: pid %v inputs %+v state %q", st.PID, st.Inputs, st.State)
		}
		settled.Store(true)
		h.resync("cam")
		if st := h.status("cam"); len(st.Inputs) != 1 || !pull.pulled("rtsp://cam/1") {
			t.Fatalf("placed here: inputs %+v", st.Inputs)
		}
	})
}
