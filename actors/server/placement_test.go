package server_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"streamhive/actors/cluster"
	"streamhive/actors/config"
	"streamhive/actors/input"
	"streamhive/actors/server"
	"streamhive/media"
)

// fakeCluster is a settled cluster.SettledView the test changes.
type fakeCluster struct {
	mu     sync.Mutex
	self   cluster.Member
	others []cluster.Member
}

func (v *fakeCluster) Members() []cluster.Member {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]cluster.Member{v.self}, v.others...)
}

func (v *fakeCluster) Self() cluster.Member { return v.self }
func (v *fakeCluster) Settled() bool        { return true }

func (v *fakeCluster) set(others ...cluster.Member) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.others = others
}

// pulls records what the server's inputs pull.
type pulls struct {
	mu   sync.Mutex
	urls []string
}

func (p *pulls) Pull(ctx context.Context, url string, _ map[string]string, _ func([]media.Track) (media.Sink, error)) error {
	p.mu.Lock()
	p.urls = append(p.urls, url)
	p.mu.Unlock()
	<-ctx.Done()
	return ctx.Err()
}

func (p *pulls) pulled(url string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Contains(p.urls, url)
}

// A server in a cluster relays the cluster_ingest stream another member
// claims (asleep until a viewer), captures it within one placement poll
// once that member is lost, and opens relays of streams only other nodes
// configure, which follow the stream when its owner is lost.
func TestServerPlacesClusterIngest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		view := &fakeCluster{self: cluster.Member{ID: "me", Name: "me:80", Self: true, API: "http://me:80"}}
		other := cluster.Member{ID: "o", Name: "o:80", API: "http://10.0.0.2:80", Captures: []string{"cam"}}
		view.set(other)
		p := &pulls{}
		cam := config.Stream{Name: "cam", MediaOptions: config.MediaOptions{
			Inputs: []config.Input{{URL: "rtsp://cam/1"}}, ClusterIngest: &config.ClusterIngest{},
		}}
		s := startServer(t, server.Options{
			Config:  &config.Server{Streams: []config.Stream{cam}},
			Pullers: input.Pullers{"rtsp": p, "m4f": p},
			Cluster: view,
		})
		if st, ok := s.Stats("cam"); !ok || st.Alive || len(s.Captures()) != 0 || p.pulled("rtsp://cam/1") {
			t.Fatalf("cam claimed by another member: listed %v, captures %v, camera pulled %v", ok, s.Captures(), p.pulled("rtsp://cam/1"))
		}

		if m, ok := s.Owner("cam"); !ok || m.ID != "o" {
			t.Fatalf("Owner(cam) = %+v %v, want o", m, ok)
		}
		view.set() // the view lost it
		time.Sleep(cluster.DefaultPlaceInterval)
		synctest.Wait()
		if got := s.Captures(); !slices.Equal(got, []string{"cam"}) || !p.pulled("rtsp://cam/1") {
			t.Fatalf("one poll after the owner was lost: captures %v, camera pulled %v", got, p.pulled("rtsp://cam/1"))
		}

		if err := s.OpenRelay(context.Background(), "elsewhere", other); err != nil {
			t.Fatalf("OpenRelay: %v", err)
		}
		synctest.Wait()
		if !p.pulled("m4f://10.0.0.2:80/elsewhere") {
			t.Fatal("the relay does not pull from its owner")
		}
		if _, ok := s.Config().Stream("elsewhere"); ok {
			t.Fatal("the relay is in the configuration")
		}

		// Its owner is lost and another member runs it: the relay follows.
		third := cluster.Member{ID: "t", Name: "t:80", API: "http://10.0.0.3:80", Streams: []string{"elsewhere"}}
		view.set(third)
		time.Sleep(cluster.DefaultPlaceInterval)
		synctest.Wait()
		if !p.pulled("m4f://10.0.0.3:80/elsewhere") {
			t.Fatal("the relay did not follow its stream to the member that runs it now")
		}
	})
}
