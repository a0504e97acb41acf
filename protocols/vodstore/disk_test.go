package vodstore

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"streamhive/media/vod"
)

// diskFixture is a storage folder beside a secret outside it, with links
// of every kind: inside, out by a relative path, out by an absolute one,
// a folder out.
func diskFixture(t *testing.T) (*Disk, string) {
	t.Helper()
	base := t.TempDir()
	root := filepath.Join(base, "root")
	must(t, os.MkdirAll(filepath.Join(root, "movies", "sub"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "movies", "a.mp4"), []byte("inside"), 0o644))
	must(t, os.WriteFile(filepath.Join(base, "secret.mp4"), []byte("secret"), 0o644))
	must(t, os.MkdirAll(filepath.Join(base, "outdir"), 0o755))
	must(t, os.WriteFile(filepath.Join(base, "outdir", "x.mp4"), []byte("secret"), 0o644))
	must(t, os.Symlink("a.mp4", filepath.Join(root, "movies", "in-link.mp4")))
	must(t, os.Symlink("../../secret.mp4", filepath.Join(root, "movies", "rel-out.mp4")))
	must(t, os.Symlink(filepath.Join(base, "secret.mp4"), filepath.Join(root, "movies", "abs-out.mp4")))
	must(t, os.Symlink(filepath.Join(base, "outdir"), filepath.Join(root, "outlink")))
	must(t, os.Symlink("../..", filepath.Join(root, "movies", "sub", "up")))
	d, err := OpenDisk(root)
	must(t, err)
	t.Cleanup(func() { _ = d.Close() })
	return d, base
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestDiskOpenRefusesEscapes(t *testing.T) {
	d, _ := diskFixture(t)
	ctx := context.Background()
	for _, tc := range []struct {
		path string
		want error // nil: opens and reads "inside"
	}{
		{"movies/a.mp4", nil},
		{"movies/./a.mp4", nil},
		{"movies//a.mp4", nil},
		{"movies/in-link.mp4", nil},
		{"movies/sub/up/movies/a.mp4", nil}, // ../.. from sub is the root itself
		{"../secret.mp4", vod.ErrBadPath},
		{"movies/../../secret.mp4", vod.ErrBadPath},
		{"movies/../a.mp4", vod.ErrBadPath}, // any .. is refused, even one that stays inside
		{"/etc/passwd", vod.ErrBadPath},
		{"movies\\..\\..\\secret.mp4", vod.ErrBadPath},
		{"movies/a.mp4\x00.txt", vod.ErrBadPath},
		{strings.Repeat("a/", 3000), vod.ErrBadPath},
		{"movies/rel-out.mp4", vod.ErrBadPath},
		{"movies/abs-out.mp4", vod.ErrBadPath},
		{"outlink/x.mp4", vod.ErrBadPath},
		{"movies/sub/up/../secret.mp4", vod.ErrBadPath},
		{"movies/none.mp4", vod.ErrNotFound},
		{"movies", vod.ErrNotFound}, // a folder is no file
		{"", vod.ErrNotFound},
	} {
		f, err := d.Open(ctx, tc.path)
		if tc.want != nil {
			if !errors.Is(err, tc.want) {
				t.Errorf("Open(%q) = %v, want %v", tc.path, err, tc.want)
			}
			if f != nil {
				_ = f.Close()
			}
			continue
		}
		if err != nil {
			t.Errorf("Open(%q): %v", tc.path, err)
			continue
		}
		got, _ := io.ReadAll(io.NewSectionReader(f, 0, f.Size()))
		_ = f.Close()
		if string(got) != "inside" {
			t.Errorf("Open(%q) read %q", tc.path, got)
		}
	}
}

func TestDiskListLeavesOutEscapingLinks(t *testing.T) {
	d, _ := diskFixture(t)
	got, err := d.List(context.Background(), "movies")
	must(t, err)
	var names []string
	for _, e := range got {
		names = append(names, e.Name)
	}
	if strings.Join(names, ",") != "a.mp4,in-link.mp4,sub" {
		t.Errorf("List(movies) = %v", names)
	}
	if _, err := d.List(context.Background(), "outlink"); !errors.Is(err, vod.ErrBadPath) {
		t.Errorf("List(outlink) = %v, want ErrBadPath", err)
	}
	if _, err := d.List(context.Background(), "../"); !errors.Is(err, vod.ErrBadPath) {
		t.Errorf("List(../) = %v, want ErrBadPath", err)
	}
}

func TestDiskCreateAndRemove(t *testing.T) {
	d, base := diskFixture(t)
	ctx := context.Background()
	must(t, d.Create(ctx, "new/deep/b.mp4", bytes.NewReader([]byte("up"))))
	f, err := d.Open(ctx, "new/deep/b.mp4")
	must(t, err)
	if f.Size() != 2 {
		t.Errorf("size %d", f.Size())
	}
	_ = f.Close()
	for _, p := range []string{"../evil.mp4", "/tmp/evil.mp4", "outlink/evil.mp4", ""} {
		if err := d.Create(ctx, p, bytes.NewReader(nil)); err == nil {
			t.Errorf("Create(%q) succeeded", p)
		}
	}
	if _, err := os.Stat(filepath.Join(base, "outdir", "evil.mp4")); err == nil {
		t.Error("an upload through a link landed outside the storage")
	}
	if err := d.Remove(ctx, "movies/rel-out.mp4/../../secret.mp4"); !errors.Is(err, vod.ErrBadPath) {
		t.Errorf("Remove escaping = %v", err)
	}
	must(t, d.Remove(ctx, "new/deep/b.mp4"))
	if _, err := d.Open(ctx, "new/deep/b.mp4"); !errors.Is(err, vod.ErrNotFound) {
		t.Errorf("after Remove: %v", err)
	}
	if _, err := os.Stat(filepath.Join(base, "secret.mp4")); err != nil {
		t.Errorf("the secret is gone: %v", err)
	}
}

func FuzzCleanPath(f *testing.F) {
	for _, s := range []string{"a/b.mp4", "../x", "/abs", "a/../b", "a\\b", "", ".", "a//b/./c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		c, err := CleanPath(p)
		if err != nil {
			return
		}
		if strings.HasPrefix(c, "/") || c == ".." || strings.HasPrefix(c, "../") || strings.Contains(c, "/../") {
			t.Fatalf("CleanPath(%q) = %q leaves the root", p, c)
		}
	})
}
