package remote_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"streamhive/actors/cluster"
	"streamhive/actors/config"
	"streamhive/gateway/live"
	"streamhive/media/hls"
	"streamhive/media/segment"
	"streamhive/media/stats"
)

// fakeView is a fixed cluster.View.
type fakeView struct {
	self    cluster.Member
	members []cluster.Member
}

func (v fakeView) Members() []cluster.Member { return v.members }
func (v fakeView) Self() cluster.Member      { return v.self }

// fakeRemote records the calls and answers from its fields.
type fakeRemote struct {
	mu     sync.Mutex
	calls  []string
	err    error // every call's error
	st     stats.Stream
	nStats atomic.Int32
}

func (r *fakeRemote) record(call string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call)
	return r.err
}

func (r *fakeRemote) Stats(_ context.Context, m cluster.Member, name string) (stats.Stream, bool, error) {
	r.nStats.Add(1)
	if err := r.record(fmt.Sprintf("stats %s@%s", name, m.Name)); err != nil {
		return stats.Stream{}, false, err
	}
	return r.st, true, nil
}

func (r *fakeRemote) SelectInput(_ context.Context, m cluster.Member, name string, index int) error {
	return r.record(fmt.Sprintf("select %s@%s %d", name, m.Name, index))
}

func (r *fakeRemote) Stop(_ context.Context, m cluster.Member, name string) error {
	return r.record(fmt.Sprintf("stop %s@%s", name, m.Name))
}

func (r *fakeRemote) log() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.calls...)
}

// fakeLocal is this node's locator: the streams in m.
type fakeLocal struct {
	mu sync.Mutex
	m  map[string]live.Stream
}

func newLocal(names ...string) *fakeLocal {
	l := &fakeLocal{m: make(map[string]live.Stream)}
	for _, n := range names {
		l.m[n] = &localStream{name: n}
	}
	return l
}

func (l *fakeLocal) Locate(name string) (live.Location, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.m[name]
	return live.Location{Node: live.Local, Stream: s}, ok
}

func (l *fakeLocal) add(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.m[name] = &localStream{name: name}
}

// localStream is a local stream with one window.
type localStream struct{ name string }

var theWindow = &segment.Window{}

func (s *localStream) Window() *segment.Window { return theWindow }
func (s *localStream) Next(context.Context, *segment.Window) (*segment.Window, error) {
	return theWindow, nil
}
func (s *localStream) Wait(context.Context, uint64, int) error        { return nil }
func (s *localStream) Media(context.Context, hls.Ref) ([]byte, error) { return nil, nil }
func (s *localStream) Enabled(string) bool                            { return true }
func (s *localStream) Preview(context.Context) ([]byte, error)        { return nil, nil }
func (s *localStream) Stats() (stats.Stream, bool)                    { return stats.Stream{}, true }
func (s *localStream) SelectInput(context.Context, int) error         { return nil }
func (s *localStream) Stop(context.Context) error                     { return nil }

// fakeRelays opens a relay by adding it to local, or fails with err.
type fakeRelays struct {
	local *fakeLocal
	err   error
	gate  chan struct{} // when set, opens wait for it
	mu    sync.Mutex
	opens []string
}

func (r *fakeRelays) OpenRelay(ctx context.Context, name string, owner cluster.Member) error {
	r.mu.Lock()
	r.opens = append(r.opens, name+"@"+owner.Name)
	r.mu.Unlock()
	if r.gate != nil {
		select {
		case <-r.gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if r.err != nil {
		return r.err
	}
	r.local.add(name)
	return nil
}

func (r *fakeRelays) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.opens)
}

// configOf is a configuration with the streams names.
func configOf(names ...string) func() *config.Server {
	cfg := &config.Server{}
	for _, n := range names {
		cfg.Streams = append(cfg.Streams, config.Stream{Name: n})
	}
	return func() *config.Server { return cfg }
}

// threeNodes: a (self), b and c. b captures ingest; b and c both run
// shared (c less loaded); c runs only-c.
func threeNodes() fakeView {
	a := cluster.Member{ID: "a", Name: "a:80", Self: true, Streams: []string{"here"}}
	b := cluster.Member{
		ID: "b", Name: "b:80", API: "http://b:80", Captures: []string{"ingest"},
		Streams: []string{"ingest", "shared"}, Load: cluster.Load{OutputKbit: 9000},
	}
	c := cluster.Member{
		ID: "c", Name: "c:80", API: "http://c:80",
		Streams: []string{"only-c", "shared"}, Load: cluster.Load{OutputKbit: 100},
	}
	return fakeView{self: a, members: []cluster.Member{a, b, c}}
}
