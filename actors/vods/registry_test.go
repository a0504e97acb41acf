package vods

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"streamhive/actors/config"
	"streamhive/media/vod"
)

func parse(t *testing.T, src string) *config.Server {
	t.Helper()
	s, err := config.Parse("test.conf", []byte(src))
	if err == nil {
		err = s.Validate()
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func write(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRegistrySearchesStoragesInOrder(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	write(t, filepath.Join(a, "both.mp4"), "from a")
	write(t, filepath.Join(b, "both.mp4"), "from b")
	write(t, filepath.Join(b, "sub", "only-b.mp4"), "only b")
	var snap atomic.Pointer[config.Server]
	snap.Store(parse(t, "vod m {\n storage "+a+";\n storage "+b+";\n storage /nonexistent-folder;\n}\n"))
	r := New(snap.Load)
	ctx := context.Background()

	read := func(path string) (string, int) {
		t.Helper()
		l, _ := r.Location("m")
		f, idx, err := l.Open(ctx, path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		defer func() { _ = f.Close() }()
		buf := make([]byte, f.Size())
		_, _ = f.ReadAt(buf, 0)
		return string(buf), idx
	}
	if got, idx := read("both.mp4"); got != "from a" || idx != 0 {
		t.Errorf("both.mp4: %q from %d", got, idx)
	}
	if got, idx := read("sub/only-b.mp4"); got != "only b" || idx != 1 {
		t.Errorf("only-b: %q from %d", got, idx)
	}
	l, _ := r.Location("m")
	if _, _, err := l.Open(ctx, "none.mp4"); err == nil {
		t.Error("a missing file opened")
	}
	if _, _, err := l.Open(ctx, "../x.mp4"); !errors.Is(err, vod.ErrBadPath) {
		t.Errorf("../: %v", err)
	}

	// A config change is seen at the next call; the old prefix is gone.
	snap.Store(parse(t, "vod n { storage "+b+"; }\n"))
	if _, ok := r.Location("m"); ok {
		t.Error("a removed location is still served")
	}
	if _, ok := r.Location("n"); !ok || len(r.Locations()) != 1 {
		t.Error("the new location is missing")
	}
}

func TestRegistryCountsOpenedFiles(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.mp4"), "0123456789")
	var snap atomic.Pointer[config.Server]
	snap.Store(parse(t, "vod m { storage "+dir+"; }\n"))
	r := New(snap.Load)
	ctx := context.Background()
	f1, err := r.Open(ctx, "m", "a.mp4")
	if err != nil {
		t.Fatal(err)
	}
	f2, err := r.Open(ctx, "m", "a.mp4")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f1.ReadAt(make([]byte, 4), 0)
	_, _ = f2.ReadAt(make([]byte, 6), 4)
	got := r.Opened()
	if len(got) != 1 || got[0].Clients != 2 || got[0].BytesIn != 10 || got[0].Path != "a.mp4" {
		t.Errorf("opened %+v", got)
	}
	_ = f1.Close()
	_ = f1.Close() // twice: counted once
	if !r.IsOpen("m", "a.mp4") {
		t.Error("closed while a viewer holds it")
	}
	_ = f2.Close()
	if r.IsOpen("m", "a.mp4") || len(r.Opened()) != 0 {
		t.Errorf("still opened: %+v", r.Opened())
	}
	if _, err := r.Open(ctx, "nope", "a.mp4"); !errors.Is(err, vod.ErrNotFound) {
		t.Errorf("unknown prefix: %v", err)
	}
}

func TestRegistryStorageCountsOpens(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.mp4"), "x")
	var snap atomic.Pointer[config.Server]
	snap.Store(parse(t, "vod m { storage "+dir+"; }\n"))
	r := New(snap.Load)
	st, ok := r.Storage("m")
	if !ok {
		t.Fatal("no storage m")
	}
	f, err := st.Open(context.Background(), "a.mp4")
	if err != nil || !r.IsOpen("m", "a.mp4") {
		t.Fatalf("open: %v", err)
	}
	_ = f.Close()
	if list, err := st.List(context.Background(), ""); err != nil || len(list) != 1 {
		t.Errorf("list %v %v", list, err)
	}
	if _, ok := r.Storage("none"); ok {
		t.Error("an unknown location has a storage")
	}
}
