package file

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"streamhive/media"
)

// TestPullFailures: URLs the puller refuses and files it cannot read fail
// before anything is published.
func TestPullFailures(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.bin")
	if err := os.WriteFile(junk, []byte("certainly not a media file"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		url  string
		want error
	}{
		{"file://relative/path.mp4", ErrBadURL},
		{"http:///abs.mp4", ErrBadURL},
		{"file://" + filepath.Join(dir, "missing.mp4"), os.ErrNotExist},
		{"file://" + junk, ErrUnsupported},
	} {
		err := (Puller{}).Pull(context.Background(), tc.url, nil, func([]media.Track) (media.Sink, error) {
			t.Errorf("%s: published", tc.url)
			return nil, errors.New("no")
		})
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.url, err, tc.want)
		}
	}
}
