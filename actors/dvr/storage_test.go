package dvr

import (
	"errors"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/stream"
	store "streamhive/media/dvr"
)

func TestResolve(t *testing.T) {
	cfg := &config.Server{DVRs: []config.DVR{
		{Name: "one", Root: "/mnt/one", DVRLimits: config.DVRLimits{Expiration: 3600, StorageLimit: 1 << 30}},
		{Name: "raid", Root: "/mnt", Disks: []config.DVRDisk{{Path: "a"}, {Path: "/abs/b/"}}, DVRLimits: config.DVRLimits{DiskUsageLimit: 90}},
		{Name: "empty"},
	}}
	s := New(Options{Current: func() *config.Server { return cfg }})
	defer s.Close()
	for _, c := range []struct {
		in      config.StreamDVR
		roots   []string
		limits  store.Limits
		err     bool
		unknown bool
	}{
		{
			in:    config.StreamDVR{Root: "/var/dvr/", DVRLimits: config.DVRLimits{Expiration: 60}},
			roots: []string{"/var/dvr"}, limits: store.Limits{Expiration: time.Minute},
		},
		{
			in:    config.StreamDVR{Reference: "one"},
			roots: []string{"/mnt/one"}, limits: store.Limits{Expiration: time.Hour, StorageLimit: 1 << 30},
		},
		{
			in:    config.StreamDVR{Reference: "one", DVRLimits: config.DVRLimits{Expiration: 60, DiskUsageLimit: 80}},
			roots: []string{"/mnt/one"}, limits: store.Limits{Expiration: time.Minute, StorageLimit: 1 << 30, DiskUsage: 80},
		},
		{
			in:    config.StreamDVR{Reference: "raid"},
			roots: []string{"/mnt/a", "/abs/b"}, limits: store.Limits{DiskUsage: 90},
		},
		{in: config.StreamDVR{Reference: "nope"}, err: true, unknown: true},
		{in: config.StreamDVR{Reference: "empty"}, err: true},
		{in: config.StreamDVR{}, err: true},
	} {
		roots, limits, err := s.resolve(c.in)
		if (err != nil) != c.err || c.unknown != errors.Is(err, ErrUnknownDVR) {
			t.Errorf("%+v: error %v, want %v", c.in, err, c.err)
			continue
		}
		if err == nil && (!reflect.DeepEqual(roots, c.roots) || limits != c.limits) {
			t.Errorf("%+v: %v %+v, want %v %+v", c.in, roots, limits, c.roots, c.limits)
		}
	}
}

func TestLimitsFollowTheGlobalDVR(t *testing.T) {
	var cur atomic.Pointer[config.Server]
	root := t.TempDir()
	cur.Store(&config.Server{DVRs: []config.DVR{{Name: "arc", Root: root, DVRLimits: config.DVRLimits{Expiration: 3600}}}})
	s := New(Options{Current: cur.Load, Retention: -1})
	defer s.Close()
	spec := stream.DVRSpec{Stream: "cam", Config: config.StreamDVR{Reference: "arc"}}
	a, props, err := s.Start(spec)
	if err != nil || a == nil || props == nil {
		t.Fatalf("Start: %v", err)
	}
	st, _ := s.Store("cam")
	if st.Limits().Expiration != time.Hour {
		t.Fatalf("limits %+v", st.Limits())
	}
	cur.Store(&config.Server{DVRs: []config.DVR{{Name: "arc", Root: root, DVRLimits: config.DVRLimits{Expiration: 60, StorageLimit: 1e9}}}})
	s.refresh()
	if l := st.Limits(); l.Expiration != time.Minute || l.StorageLimit != 1e9 {
		t.Fatalf("limits after the global DVR changed: %+v", l)
	}
	// The same stream started again (a restart) gets the same store.
	if a2, _, err := s.Start(spec); err != nil || a2 != a {
		t.Fatalf("second Start: %v, same store %v", err, a2 == a)
	}
}
