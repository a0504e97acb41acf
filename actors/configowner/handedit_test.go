package configowner_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/config"
	"streamhive/actors/kit/kittest"
)

// kept returns the copies of the config file kept beside it, by name.
func (f *fixture) kept() map[string][]byte {
	f.t.Helper()
	out := map[string][]byte{}
	for _, name := range f.dirEntries() {
		if strings.HasPrefix(name, "streamhive.conf.rejected-") {
			b, err := os.ReadFile(filepath.Join(filepath.Dir(f.path), name))
			if err != nil {
				f.t.Fatal(err)
			}
			out[name] = b
		}
	}
	return out
}

// TestRejectedEditKeptOnWrite: an operator's edit whose reload was refused
// is kept beside the file, byte for byte and with its mode, before an API
// write replaces the file with the running configuration and the change.
func TestRejectedEditKeptOnWrite(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		f := start(t, sys, initialText)
		edit := []byte("# the operator's work\nstream a { input publish://; }\nstreem b {}\n")
		if err := os.WriteFile(f.path, edit, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(f.path, 0o640); err != nil {
			t.Fatal(err)
		}
		if rep, err := f.reload(); err != nil || rep.Err == nil {
			t.Fatalf("reload of a broken file = %+v, %v; want refused", rep, err)
		}
		if err := f.apply(config.PutStream{Name: "c", Patch: []byte(`{"inputs":[{"url":"publish://"}]}`)}); err != nil {
			t.Fatalf("apply: %v", err)
		}
		kept := f.kept()
		if len(kept) != 1 {
			t.Fatalf("kept %d copies (%v), want 1", len(kept), f.dirEntries())
		}
		for name, b := range kept {
			if !bytes.Equal(b, edit) {
				t.Errorf("%s holds %q, want the operator's text", name, b)
			}
			if fi, err := os.Stat(filepath.Join(filepath.Dir(f.path), name)); err != nil || fi.Mode().Perm() != 0o640 {
				t.Errorf("%s: mode %v (%v), want the file's 0640", name, fi.Mode().Perm(), err)
			}
		}
		onDisk, err := config.Parse(f.path, f.file())
		if err != nil {
			t.Fatalf("written file: %v", err)
		}
		if d := config.Diff(f.snapshot.Load(), onDisk); !d.Empty() {
			t.Errorf("the file is not the running configuration: %+v", d)
		}

		// The file is the server's again: the next write keeps nothing new.
		if err := f.apply(config.DeleteStream{Name: "c"}); err != nil {
			t.Fatalf("apply: %v", err)
		}
		if got := len(f.kept()); got != 1 {
			t.Errorf("%d copies after a second write, want still 1", got)
		}
	})
}

// TestUnloadedEditKeptOnWrite: an edit no reload has read yet is kept too,
// and two in the same second get two names; an edit the server reloaded is
// its own and is not copied.
func TestUnloadedEditKeptOnWrite(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		f := start(t, sys, initialText)
		var edits [][]byte
		for i, name := range []string{"c", "d"} {
			edit := []byte(initialText + "# edit " + name + "\n")
			edits = append(edits, edit)
			if err := os.WriteFile(f.path, edit, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := f.apply(config.PutStream{Name: name, Patch: []byte(`{"inputs":[{"url":"publish://"}]}`)}); err != nil {
				t.Fatalf("apply %d: %v", i, err)
			}
		}
		var got [][]byte
		for _, b := range f.kept() {
			got = append(got, b)
		}
		slices.SortFunc(got, bytes.Compare)
		if !slices.EqualFunc(got, edits, bytes.Equal) {
			t.Errorf("kept %q, want both edits", got)
		}

		reloaded := []byte(initialText + "stream e { input publish://; }\n")
		if err := os.WriteFile(f.path, reloaded, 0o600); err != nil {
			t.Fatal(err)
		}
		if rep, err := f.reload(); err != nil || rep.Err != nil {
			t.Fatalf("reload = %+v, %v", rep, err)
		}
		if err := f.apply(config.DeleteStream{Name: "e"}); err != nil {
			t.Fatalf("apply: %v", err)
		}
		if n := len(f.kept()); n != 2 {
			t.Errorf("%d copies after writing over a reloaded file, want still 2", n)
		}
	})
}

// TestEditNotKeptRefusesWrite: when the edit cannot be kept (here every
// name for the copy is taken), the API write is refused and the operator's
// file stays as it is.
func TestEditNotKeptRefusesWrite(t *testing.T) {
	kittest.Run(t, func(t *testing.T, sys *actor.ActorSystem) {
		f := start(t, sys, initialText)
		stamp := f.path + ".rejected-" + time.Now().UTC().Format("20060102T150405Z")
		for i := range 100 {
			name := stamp
			if i > 0 {
				name = fmt.Sprintf("%s-%d", stamp, i)
			}
			if err := os.Mkdir(name, 0o700); err != nil {
				t.Fatal(err)
			}
		}
		edit := []byte(initialText + "# edited\n")
		if err := os.WriteFile(f.path, edit, 0o600); err != nil {
			t.Fatal(err)
		}
		before := f.snapshot.Load()
		if err := f.apply(config.DeleteStream{Name: "a"}); err == nil {
			t.Fatal("apply succeeded with the edit not kept")
		}
		if !bytes.Equal(f.file(), edit) {
			t.Errorf("the operator's file was replaced")
		}
		if f.snapshot.Load() != before {
			t.Errorf("a refused write took effect")
		}
	})
}
