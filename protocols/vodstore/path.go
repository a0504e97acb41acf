package vodstore

import (
	"fmt"
	"path"
	"strings"

	"streamhive/media/vod"
)

// maxPathLen bounds a path a caller gives: a longer one is no file of ours.
const maxPathLen = 4096

// CleanPath checks a storage-relative, slash-separated path and returns it
// cleaned ("" for the root). It refuses, with vod.ErrBadPath, an absolute
// path, any `..` element, a backslash (a Windows separator that a later
// join might honour), NUL and control bytes, and an overlong path; it
// never resolves anything, so it cannot be fooled by what is on disk
// (Disk checks symlinks separately).
func CleanPath(p string) (string, error) {
	if len(p) > maxPathLen {
		return "", fmt.Errorf("%w: longer than %d bytes", vod.ErrBadPath, maxPathLen)
	}
	if strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("%w: %q is absolute", vod.ErrBadPath, p)
	}
	for _, c := range []byte(p) {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return "", fmt.Errorf("%w: %q holds a forbidden byte", vod.ErrBadPath, p)
		}
	}
	for el := range strings.SplitSeq(p, "/") {
		if el == ".." {
			return "", fmt.Errorf("%w: %q has a .. element", vod.ErrBadPath, p)
		}
	}
	c := path.Clean(p)
	if c == "." {
		return "", nil
	}
	return c, nil
}
