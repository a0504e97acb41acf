package configowner_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/configowner"
	"streamhive/actors/kit"
	"streamhive/actors/kit/kittest"
	"streamhive/actors/streams"
)

const initialText = `
http 8080;

stream a {
  input publish://;
}

stream b {
  input publish://;
}
`

// fakeStreams stands in for the streams supervisor: it records every
// Apply and answers it.
type fakeStreams struct {
	mu    sync.Mutex
	diffs []config.StreamDiff
}

func (f *fakeStreams) receive(ctx actor.Context) {
	if m, ok := ctx.Message().(*streams.Apply); ok {
		f.mu.Lock()
		f.diffs = append(f.diffs, m.Diff)
		f.mu.Unlock()
		ctx.Respond(&streams.ApplyReply{})
	}
}

func (f *fakeStreams) take() []config.StreamDiff {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.diffs
	f.diffs = nil
	return d
}

type fixture struct {
	t        *testing.T
	sys      *actor.ActorSystem
	owner    *actor.PID
	snapshot *atomic.Pointer[config.Server]
	streams  *fakeStreams
	path     string
}

// start runs an owner over a config file holding text, or over the
// embedded default when text is empty.
func start(t *testing.T, sys *actor.ActorSystem, text string) *fixture {
	t.Helper()
	return startChecked(t, sys, text, nil)
}

// startChecked is start with a Config.Check.
func startChecked(t *testing.T, sys *actor.ActorSystem, text string, check func(*config.Server) error) *fixture {
	t.Helper()
	f := &fixture{t: t, sys: sys, snapshot: new(atomic.Pointer[config.Server]), streams: &fakeStreams{}}
	if text == "" {
		f.snapshot.Store(config.Default())
	} else {
		f.path = filepath.Join(t.TempDir(), "streamhive.conf")
		if err := os.WriteFile(f.path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(f.path)
		if err != nil {
			t.Fatal(err)
		}
		f.snapshot.Store(cfg)
	}
	probe := kittest.NewProbe(t, sys)
	streamsPID := probe.SpawnChild(actor.PropsFromFunc(f.streams.receive))
	f.owner = probe.SpawnChild(configowner.Props(configowner.Config{
		Path: f.path, Snapshot: f.snapshot, Streams: streamsPID, Check: check,
	}))
	return f
}

func (f *fixture) apply(c config.Change) error {
	f.t.Helper()
	rep, err := kit.Ask[*configowner.ApplyReply](context.Background(), f.sys.Root, f.owner, &configowner.Apply{Change: c})
	if err != nil {
		f.t.Fatal(err)
	}
	return rep.Err
}

func (f *fixture) reload() (*configowner.ReloadReply, error) {
	f.t.Helper()
	return kit.Ask[*configowner.ReloadReply](context.Background(), f.sys.Root, f.owner, &configowner.Reload{})
}

func (f *fixture) file() []byte {
	f.t.Helper()
	b, err := os.ReadFile(f.path)
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

// dirEntries lists the config file's directory, to catch leftover
// temporary files.
func (f *fixture) dirEntries() []string {
	f.t.Helper()
	entries, err := os.ReadDir(filepath.Dir(f.path))
	if err != nil {
		f.t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestApplyPersistsAtomically(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		f := start(t, sys, initialText)
		before := f.snapshot.Load()
		if err := os.Chmod(f.path, 0o640); err != nil {
			t.Fatal(err)
		}

		err := f.apply(config.PutStream{Name: "c", Patch: []byte(`{"inputs":[{"url":"publish://"}],"title":"Cee"}`)})
		if err != nil {
			t.Fatalf("apply: %v", err)
		}
		after := f.snapshot.Load()
		if after == before {
			t.Fatalf("snapshot not replaced")
		}
		if _, ok := before.Stream("c"); ok {
			t.Errorf("the previous snapshot was modified in place")
		}
		if st, ok := after.Stream("c"); !ok || st.Title != "Cee" {
			t.Errorf("snapshot lacks the new stream c")
		}

		// The file holds the new configuration, nothing else is left over,
		// and the file kept its permissions.
		onDisk, err := config.Parse(f.path, f.file())
		if err != nil {
			t.Fatalf("persisted file does not parse: %v\n%s", err, f.file())
		}
		if d := config.Diff(after, onDisk); !d.Empty() {
			t.Errorf("persisted file differs from the snapshot: %+v", d)
		}
		if got := f.dirEntries(); !slices.Equal(got, []string{"streamhive.conf"}) {
			t.Errorf("directory holds %v, want only streamhive.conf", got)
		}
		if fi, err := os.Stat(f.path); err != nil || fi.Mode().Perm() != 0o640 {
			t.Errorf("file mode after write = %v (%v), want 0640", fi.Mode().Perm(), err)
		}

		synctest.Wait()
		if got := f.streams.take(); len(got) != 1 || !slices.Equal(got[0].Added, []string{"c"}) {
			t.Errorf("streams got %+v, want one diff adding c", got)
		}
	})
}

func TestRejectedChangeLeavesEverythingUntouched(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		f := start(t, sys, initialText)
		before, file := f.snapshot.Load(), f.file()

		tests := []struct {
			name   string
			change config.Change
			want   error
		}{
			{"unknown key", config.PutStream{Name: "c", Patch: []byte(`{"inptus":[]}`)}, config.ErrInvalid},
			{"bad input url", config.PutStream{Name: "c", Patch: []byte(`{"inputs":[{"url":"nonsense"}]}`)}, config.ErrInvalid},
			{"delete a missing stream", config.DeleteStream{Name: "zzz"}, config.ErrNotFound},
			{"broken config text", config.ReplaceText{Filename: "api", Text: []byte("stream { ")}, config.ErrInvalid},
			{"no change", nil, config.ErrInvalid},
		}
		for _, tt := range tests {
			if err := f.apply(tt.change); !errors.Is(err, tt.want) {
				t.Errorf("%s: apply = %v, want %v", tt.name, err, tt.want)
			}
		}
		if f.snapshot.Load() != before {
			t.Errorf("a rejected change replaced the snapshot")
		}
		if !bytes.Equal(f.file(), file) {
			t.Errorf("a rejected change rewrote the file")
		}
		if got := f.dirEntries(); !slices.Equal(got, []string{"streamhive.conf"}) {
			t.Errorf("directory holds %v, want only streamhive.conf", got)
		}
		synctest.Wait()
		if got := f.streams.take(); len(got) != 0 {
			t.Errorf("streams got %+v, want nothing", got)
		}
	})
}

// TestCheckRefusesWritesAndReloads: Config.Check (the protection's
// runtime check in the server) refuses an API write and a reload the way
// a validation error does.
func TestCheckRefusesWritesAndReloads(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		errForbidden := fmt.Errorf("%w: stream forbidden", config.ErrInvalid)
		check := func(s *config.Server) error {
			if _, ok := s.Stream("forbidden"); ok {
				return errForbidden
			}
			return nil
		}
		f := startChecked(t, sys, initialText, check)
		before, file := f.snapshot.Load(), f.file()
		if err := f.apply(config.PutStream{Name: "forbidden", Patch: []byte(`{"inputs":[{"url":"publish://"}]}`)}); !errors.Is(err, errForbidden) {
			t.Errorf("apply = %v, want the check's error", err)
		}
		if err := os.WriteFile(f.path, []byte(initialText+"stream forbidden { input publish://; }\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if rep, err := f.reload(); err != nil || !errors.Is(rep.Err, errForbidden) {
			t.Errorf("reload = %+v, %v, want the check's error", rep, err)
		}
		if f.snapshot.Load() != before {
			t.Errorf("a refused change replaced the snapshot")
		}
		if err := f.apply(config.PutStream{Name: "c", Patch: []byte(`{"inputs":[{"url":"publish://"}]}`)}); err != nil {
			t.Errorf("a change the check passes: %v", err)
		}
		if bytes.Equal(f.file(), file) {
			t.Errorf("the passed change was not written")
		}
	})
}

func TestUnwritableFileChangesNothing(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		f := start(t, sys, initialText)
		before := f.snapshot.Load()
		if err := os.RemoveAll(filepath.Dir(f.path)); err != nil {
			t.Fatal(err)
		}
		err := f.apply(config.DeleteStream{Name: "a"})
		if err == nil || errors.Is(err, config.ErrInvalid) {
			t.Errorf("apply with the directory gone = %v, want a write error", err)
		}
		if f.snapshot.Load() != before {
			t.Errorf("a change that could not be saved took effect")
		}
		synctest.Wait()
		if got := f.streams.take(); len(got) != 0 {
			t.Errorf("streams got %+v, want nothing", got)
		}
	})
}

func TestReload(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		f := start(t, sys, initialText)
		before := f.snapshot.Load()

		// A broken file changes nothing.
		if err := os.WriteFile(f.path, []byte("stream a { input publish://; }\nstreem b {}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if rep, err := f.reload(); err != nil || !errors.Is(rep.Err, config.ErrInvalid) {
			t.Errorf("reload of a broken file = %v %v, want ErrInvalid", rep, err)
		}
		if f.snapshot.Load() != before {
			t.Errorf("a rejected reload replaced the snapshot")
		}

		// A good one applies the diff.
		next := "stream a { input publish://; }\nstream b { title B; input publish://; }\nstream d { input publish://; }\n"
		if err := os.WriteFile(f.path, []byte(next), 0o600); err != nil {
			t.Fatal(err)
		}
		rep, err := f.reload()
		if err != nil || rep.Err != nil {
			t.Fatalf("reload = %v %v", rep, err)
		}
		want := config.StreamDiff{Added: []string{"d"}, Changed: []string{"b"}}
		if !slices.Equal(rep.Diff.Added, want.Added) || !slices.Equal(rep.Diff.Changed, want.Changed) || len(rep.Diff.Removed) != 0 {
			t.Errorf("reload diff = %+v, want %+v", rep.Diff, want)
		}
		if _, ok := f.snapshot.Load().Stream("d"); !ok {
			t.Errorf("snapshot lacks stream d after reload")
		}
		synctest.Wait()
		if got := f.streams.take(); len(got) != 1 {
			t.Errorf("streams got %d diffs, want 1", len(got))
		}
	})
}

func TestEmbeddedDefaultLivesInMemory(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		f := start(t, sys, "")
		if err := f.apply(config.PutStream{Name: "c", Patch: []byte(`{"inputs":[{"url":"publish://"}]}`)}); err != nil {
			t.Fatalf("apply: %v", err)
		}
		if _, ok := f.snapshot.Load().Stream("c"); !ok {
			t.Errorf("snapshot lacks stream c")
		}
		if rep, err := f.reload(); err != nil || !errors.Is(rep.Err, configowner.ErrNoFile) {
			t.Errorf("reload without a file = %v %v, want ErrNoFile", rep, err)
		}
	})
}
