package file

import (
	"context"
	"fmt"
	"strings"

	"streamhive/media"
	"streamhive/media/vod"
)

// VOD implements vod:// inputs: vod://LOCATION/path/file.mp4 plays a file
// of a VOD location as a live stream, exactly as a file:// input plays a
// local file (the same reading, pacing and looping), through the
// location's storages (a disk folder or an HTTP origin).
type VOD struct {
	// Open opens path in location: actors/vods.Registry.Open, which
	// refuses paths that leave the storages and counts the file as opened.
	Open func(ctx context.Context, location, path string) (vod.File, error)
}

// Pull plays the file url names; see Puller.Pull.
func (v VOD) Pull(ctx context.Context, url string, options map[string]string,
	publish func([]media.Track) (media.Sink, error),
) error {
	location, path, err := ParseVODURL(url)
	if err != nil {
		return err
	}
	opener := func() (vod.File, error) {
		f, err := v.Open(ctx, location, path)
		if err != nil {
			return nil, fmt.Errorf("file: %s: %w", url, err)
		}
		return f, nil
	}
	return pull(ctx, url, opener, options, publish)
}

// ParseVODURL splits vod://LOCATION/path into the location and the path
// within it (checked by the storage, not here).
func ParseVODURL(url string) (location, path string, err error) {
	rest, ok := strings.CutPrefix(url, "vod://")
	location, path, _ = strings.Cut(rest, "/")
	if !ok || location == "" || path == "" {
		return "", "", fmt.Errorf("%w: %q: want vod://LOCATION/path", ErrBadURL, url)
	}
	return location, path, nil
}
