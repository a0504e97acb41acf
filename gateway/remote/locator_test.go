package remote_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/gateway/live"
	"streamhive/gateway/remote"
)

// TestLocatorCases: the API's locator answers local for what runs here,
// the owner for a stream captured elsewhere (even when configured here),
// the least loaded holder for a stream configured only elsewhere, and
// nothing for a stream no member runs.
func TestLocatorCases(t *testing.T) {
	view := threeNodes()
	loc := remote.NewLocator(newLocal("here", "ingest", "cam"), configOf("here", "ingest", "cam"),
		remote.Cluster{View: view, Remote: &fakeRemote{}})
	for _, tc := range []struct {
		name string
		node live.Node
		ok   bool
	}{
		{"here", live.Local, true},
		{"cam", live.Local, true}, // configured here, captured by nobody else
		{"ingest", "b:80", true},  // captured by b: this node relays it
		{"shared", "c:80", true},  // configured elsewhere only: least loaded
		{"only-c", "c:80", true},
		{"nowhere", "", false},
	} {
		got, ok := loc.Locate(tc.name)
		if ok != tc.ok || got.Node != tc.node {
			t.Errorf("Locate(%s) = node %q, %v; want %q, %v", tc.name, got.Node, ok, tc.node, tc.ok)
		}
	}
	// Self's claim wins: a capture this node holds is local.
	view.self.Captures = []string{"ingest"}
	view.members[0] = view.self
	view.members[1].Captures = nil
	loc = remote.NewLocator(newLocal("ingest"), configOf("ingest"), remote.Cluster{View: view, Remote: &fakeRemote{}})
	if got, _ := loc.Locate("ingest"); got.Node != live.Local {
		t.Errorf("own capture located on %q", got.Node)
	}
}

// TestLocatorNoCluster: without a view the locator is the local one.
func TestLocatorNoCluster(t *testing.T) {
	loc := remote.NewLocator(newLocal("cam"), configOf("cam"), remote.Cluster{})
	if got, ok := loc.Locate("cam"); !ok || got.Node != live.Local {
		t.Errorf("Locate(cam) = %+v, %v", got, ok)
	}
	if _, ok := loc.Locate("x"); ok {
		t.Error("Locate(x) found")
	}
}

// TestRemoteCalls: stats, select and stop of a remote stream reach the
// owner through cluster.Remote; stats answers are reused for a second.
func TestRemoteCalls(t *testing.T) {
	r := &fakeRemote{}
	r.st.Alive = true
	loc := remote.NewLocator(newLocal(), configOf(), remote.Cluster{View: threeNodes(), Remote: r})
	l, _ := loc.Locate("ingest")
	ctx := context.Background()
	if st, ok := l.Stream.Stats(); !ok || !st.Alive {
		t.Errorf("Stats = %+v, %v", st, ok)
	}
	l.Stream.Stats() // cached
	if err := l.Stream.SelectInput(ctx, 1); err != nil {
		t.Error(err)
	}
	if err := l.Stream.Stop(ctx); err != nil {
		t.Error(err)
	}
	want := []string{"stats ingest@b:80", "select ingest@b:80 1", "stop ingest@b:80"}
	if got := r.log(); !slices.Equal(got, want) {
		t.Errorf("calls = %q, want %q", got, want)
	}
	if w := l.Stream.Window(); w != nil {
		t.Error("a remote stream has a window")
	}
	if _, err := l.Stream.Preview(ctx); !errors.Is(err, live.ErrNotProducing) {
		t.Errorf("Preview = %v", err)
	}
}

// TestRemoteErrors: the owner's "not found" and "no such input" keep
// their meaning; no answer is ErrUnreachable.
func TestRemoteErrors(t *testing.T) {
	for _, tc := range []struct {
		err, want error
	}{
		{config.ErrNotFound, config.ErrNotFound},
		{config.ErrNoInput, config.ErrNoInput},
		{context.DeadlineExceeded, live.ErrUnreachable},
		{errors.New("connection refused"), live.ErrUnreachable},
	} {
		r := &fakeRemote{err: tc.err}
		loc := remote.NewLocator(newLocal(), configOf(), remote.Cluster{View: threeNodes(), Remote: r})
		l, _ := loc.Locate("only-c")
		if err := l.Stream.Stop(context.Background()); !errors.Is(err, tc.want) {
			t.Errorf("Stop with owner error %v = %v, want %v", tc.err, err, tc.want)
		}
		if _, ok := l.Stream.Stats(); ok {
			t.Errorf("Stats with owner error %v: ok", tc.err)
		}
	}
}

// TestViewersRelay: a stream configured only on another member gets one
// relay opened however many viewers ask, and their streams serve it once
// it is open.
func TestViewersRelay(t *testing.T) {
	local := newLocal("here")
	relays := &fakeRelays{local: local, gate: make(chan struct{})}
	v := &remote.Viewers{Local: local, View: threeNodes(), Relays: relays}
	if l, ok := v.Locate("here"); !ok || l.Node != live.Local {
		t.Fatalf("Locate(here) = %+v, %v", l, ok)
	}
	if _, ok := v.Locate("nowhere"); ok {
		t.Error("Locate(nowhere) found")
	}
	var streams []live.Stream
	for range 5 {
		l, ok := v.Locate("shared")
		if !ok {
			t.Fatal("Locate(shared) not found")
		}
		streams = append(streams, l.Stream)
	}
	if streams[0].Window() != nil {
		t.Error("a relay being opened has a window")
	}
	close(relays.gate)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range streams {
		if w, err := s.Next(ctx, nil); err != nil || w == nil {
			t.Errorf("Next = %v, %v", w, err)
		}
	}
	if n := relays.count(); n != 1 {
		t.Errorf("%d relays opened, want 1", n)
	}
	if relays.opens[0] != "shared@c:80" {
		t.Errorf("opened %q, want the least loaded holder c", relays.opens[0])
	}
}

// TestViewersRelayFails: a relay that cannot be opened ends the viewers'
// waits with ErrRelayNotOpen rather than at their deadline.
func TestViewersRelayFails(t *testing.T) {
	local := newLocal()
	v := &remote.Viewers{Local: local, View: threeNodes(), Relays: &fakeRelays{local: local, err: errors.New("owner gone")}}
	l, ok := v.Locate("only-c")
	if !ok {
		t.Fatal("not found")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := l.Stream.Next(ctx, nil); !errors.Is(err, remote.ErrRelayNotOpen) {
		t.Errorf("Next = %v, want ErrRelayNotOpen", err)
	}
}
