package file

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"streamhive/media"
	"streamhive/media/vod"
)

// TestVODPullFailures: a vod:// URL without a location or a path, a path
// the storage refuses and a file that is no media fail before anything is
// published, with the storage's error kept.
func TestVODPullFailures(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "junk.mp4"), []byte("not media at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	v := VOD{Open: func(_ context.Context, location, path string) (vod.File, error) {
		if location != "m" {
			return nil, vod.ErrNotFound
		}
		if path != "junk.mp4" {
			return nil, vod.ErrBadPath
		}
		return openPath(filepath.Join(dir, path))
	}}
	for url, want := range map[string]error{
		"vod://m":              ErrBadURL,
		"vod:///a.mp4":         ErrBadURL,
		"file:///m/a.mp4":      ErrBadURL,
		"vod://m/../x.mp4":     vod.ErrBadPath,
		"vod://other/junk.mp4": vod.ErrNotFound,
		"vod://m/junk.mp4":     ErrUnsupported,
	} {
		err := v.Pull(context.Background(), url, nil, func([]media.Track) (media.Sink, error) {
			t.Errorf("%s: published", url)
			return nil, errors.New("no")
		})
		if !errors.Is(err, want) {
			t.Errorf("%s: %v, want %v", url, err, want)
		}
	}
}
