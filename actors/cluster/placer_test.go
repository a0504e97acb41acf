package cluster

import (
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/actors/config"
)

// fakeView is a View the test changes.
type fakeView struct {
	mu      sync.Mutex
	self    Member
	others  []Member
	settled bool
}

func (v *fakeView) Members() []Member {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]Member{v.self}, v.others...)
}

func (v *fakeView) Self() Member { return v.self }

func (v *fakeView) Settled() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.settled
}

func (v *fakeView) set(settled bool, others ...Member) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.settled, v.others = settled, others
}

// resyncs records the Placer's Resync calls.
type resyncs struct {
	mu    sync.Mutex
	calls [][]string
}

func (r *resyncs) record(names []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, slices.Clone(names))
}

func (r *resyncs) take() [][]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.calls
	r.calls = nil
	return c
}

func ingestServer(streams ...config.Stream) *config.Server { return &config.Server{Streams: streams} }

func ingestStream(name, captureAt string) config.Stream {
	return config.Stream{Name: name, MediaOptions: config.MediaOptions{
		Inputs:        []config.Input{{URL: "rtsp://cam/" + name}},
		ClusterIngest: &config.ClusterIngest{CaptureAt: captureAt},
	}}
}

// pair returns two node names where hi scores higher than lo for stream.
func pair(stream string) (hi, lo string) {
	if top(stream, "n1:80", "n2:80") == "n1:80" {
		return "n1:80", "n2:80"
	}
	return "n2:80", "n1:80"
}

func startPlacer(t *testing.T, v *fakeView, cur *config.Server) (*Placer, *resyncs) {
	t.Helper()
	r := &resyncs{}
	p := NewPlacer(PlacerConfig{View: v, Current: func() *config.Server { return cur }, Resync: r.record})
	p.Start()
	t.Cleanup(p.Stop)
	return p, r
}

// wait lets one poll interval pass and the Placer act on it.
func wait() {
	time.Sleep(DefaultPlaceInterval)
	synctest.Wait()
}

// Before membership settles this node captures nothing (every node of a
// cluster that starts at once would otherwise capture); it captures what
// is its own within one poll of settling.
func TestPlacerNotBeforeSettled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		v := &fakeView{self: Member{ID: "me", Name: "me:80", Self: true, API: "http://me:80"}}
		cam := ingestStream("cam", "")
		p, r := startPlacer(t, v, ingestServer(cam, config.Stream{Name: "plain"}))
		if got := p.Captures(); len(got) != 0 {
			t.Fatalf("captures %v before settling", got)
		}
		if got := p.Place(cam); len(got.Inputs) != 0 || !got.OnDemand() {
			t.Fatalf("before settling cam is placed %+v, want held", got.Inputs)
		}
		if got := p.Place(config.Stream{Name: "plain"}); got.Name != "plain" || got.Static != nil {
			t.Fatalf("a stream without cluster_ingest changed: %+v", got)
		}
		r.take()
		v.set(true)
		wait()
		if got := p.Captures(); !slices.Equal(got, []string{"cam"}) {
			t.Fatalf("captures %v after settling, want [cam]", got)
		}
		if got := r.take(); len(got) != 1 || !slices.Equal(got[0], []string{"cam"}) {
			t.Fatalf("resyncs %v, want [[cam]]", got)
		}
		if got := p.Place(cam); len(got.Inputs) != 1 || got.Inputs[0].URL != "rtsp://cam/cam" {
			t.Fatalf("the owner runs %+v, want its own input", got.Inputs)
		}
	})
}

// Before settling, another member's claim is honoured: this node relays.
func TestPlacerRelaysAClaimBeforeSettled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		v := &fakeView{self: Member{ID: "me", Name: "me:80", Self: true}}
		v.set(false, Member{ID: "o", Name: "o:80", API: "http://10.0.0.2:80", Captures: []string{"cam"}})
		p, _ := startPlacer(t, v, ingestServer(ingestStream("cam", "")))
		if got := p.Place(ingestStream("cam", "")); len(got.Inputs) != 1 || got.Inputs[0].URL != "m4f://10.0.0.2:80/cam" {
			t.Fatalf("placed %+v, want the claimant's relay", got.Inputs)
		}
	})
}

// The owner is lost: this node captures within one poll. The owner
// returns (a new ID, no claims): nothing moves, even where it scores
// higher.
func TestPlacerOwnerLostAndBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		hi, lo := pair("cam")
		v := &fakeView{self: Member{ID: "me", Name: lo, Self: true}}
		owner := Member{ID: "o1", Name: hi, API: "http://" + hi, Captures: []string{"cam"}}
		v.set(true, owner)
		p, r := startPlacer(t, v, ingestServer(ingestStream("cam", "")))
		if got := p.Place(ingestStream("cam", "")); got.Inputs[0].URL != "m4f://"+hi+"/cam" {
			t.Fatalf("placed %+v, want a relay of %s", got.Inputs, hi)
		}
		if m, ok := p.Owner("cam"); !ok || m.ID != "o1" {
			t.Fatalf("Owner(cam) = %v %v, want o1", m.ID, ok)
		}
		if _, ok := p.Owner("nope"); ok {
			t.Fatal("Owner of a stream not configured here")
		}
		r.take()

		v.set(true) // the view dropped it
		wait()
		if got := p.Captures(); !slices.Equal(got, []string{"cam"}) {
			t.Fatalf("captures %v one poll after the owner was lost, want [cam]", got)
		}
		if got := r.take(); len(got) != 1 || !slices.Equal(got[0], []string{"cam"}) {
			t.Fatalf("resyncs %v, want [[cam]]", got)
		}
		if m, ok := p.Owner("cam"); !ok || !m.Self {
			t.Fatalf("Owner(cam) = %+v %v, want this node", m, ok)
		}

		v.set(true, Member{ID: "o2", Name: hi, API: "http://" + hi}) // back, with a new ID
		wait()
		wait()
		if got := p.Captures(); !slices.Equal(got, []string{"cam"}) {
			t.Fatalf("captures %v after the old owner returned, want [cam] (sticky)", got)
		}
		if got := r.take(); len(got) != 0 {
			t.Fatalf("resyncs %v after a return, want none", got)
		}
	})
}

// A healed partition: both nodes claim the stream; the lower score lets
// go, the higher keeps it.
func TestPlacerConflict(t *testing.T) {
	for _, selfHigh := range []bool{true, false} {
		synctest.Test(t, func(t *testing.T) {
			hi, lo := pair("cam")
			me, other := lo, hi
			if selfHigh {
				me, other = hi, lo
			}
			v := &fakeView{self: Member{ID: "me", Name: me, Self: true}}
			v.set(true)
			p, r := startPlacer(t, v, ingestServer(ingestStream("cam", "")))
			if got := p.Captures(); !slices.Equal(got, []string{"cam"}) {
				t.Fatalf("alone: captures %v", got)
			}
			r.take()
			v.set(true, Member{ID: "x", Name: other, API: "http://" + other, Captures: []string{"cam"}})
			wait()
			keeps := len(p.Captures()) == 1
			if keeps != selfHigh {
				t.Fatalf("self scores higher: %v; keeps the capture: %v", selfHigh, keeps)
			}
			if moved := len(r.take()) == 1; moved == selfHigh {
				t.Fatalf("resync when it let go: %v, want %v", moved, !selfHigh)
			}
		})
	}
}

// capture_at places on the named node while it is alive; once the stream
// has moved, the named node's return does not take it back.
func TestPlacerCaptureAt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		v := &fakeView{self: Member{ID: "me", Name: "me:80", Self: true}}
		pinned := Member{ID: "s1", Name: "streamer:8081", API: "http://10.0.0.3:8081"}
		v.set(true, pinned)
		cam := ingestStream("cam", "streamer")
		p, _ := startPlacer(t, v, ingestServer(cam))
		if got := p.Place(cam); got.Inputs[0].URL != "m4f://10.0.0.3:8081/cam" {
			t.Fatalf("placed %+v, want a relay of streamer", got.Inputs)
		}
		v.set(true)
		wait()
		if got := p.Captures(); !slices.Equal(got, []string{"cam"}) {
			t.Fatalf("captures %v with streamer down", got)
		}
		pinned.ID = "s2"
		v.set(true, pinned)
		wait()
		if got := p.Captures(); !slices.Equal(got, []string{"cam"}) {
			t.Fatalf("captures %v after streamer returned, want [cam] (sticky)", got)
		}
	})
}
