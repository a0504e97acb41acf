package drm

import (
	"bytes"
	"fmt"
	"time"
)

// PlaylistKeys tells ProtectMediaPlaylist what to write for a key.
type PlaylistKeys struct {
	// KeyAt gives the key of a segment's EXT-X-PROGRAM-DATE-TIME.
	KeyAt func(time.Time) (Key, error)
	// Tags are the EXT-X-KEY lines of a key (HLSKeyTags with the key URI).
	Tags func(Key) []string
	// MapURI rewrites an EXT-X-MAP line for a key (fMP4: the init carries
	// the key id, so it changes with the key); nil keeps the line.
	MapLine func(line []byte, k Key) []byte
}

var (
	pdtTag = []byte("#EXT-X-PROGRAM-DATE-TIME:")
	mapTag = []byte("#EXT-X-MAP:")
)

// ProtectMediaPlaylist adds EXT-X-KEY lines to a media playlist that
// media/hls rendered (every segment carries its program date time): before
// the first segment and wherever the key changes, so each segment, its
// parts and its init map name the key of the time they were recorded. A
// key that cannot be had fails the whole playlist: nothing clear is listed.
func ProtectMediaPlaylist(pl []byte, pk PlaylistKeys) ([]byte, error) {
	out := make([]byte, 0, len(pl)+512)
	var current *Key
	var pendingMap, lastMap []byte
	for _, line := range bytes.SplitAfter(pl, []byte("\n")) {
		switch {
		case bytes.HasPrefix(line, mapTag):
			pendingMap, lastMap = line, line
			continue
		case !bytes.HasPrefix(line, pdtTag):
			out = append(out, line...)
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, string(bytes.TrimSpace(line[len(pdtTag):])))
		if err != nil {
			return nil, fmt.Errorf("drm: playlist date %q: %w", bytes.TrimSpace(line), err)
		}
		k, err := pk.KeyAt(t)
		if err != nil {
			return nil, err
		}
		changed := current == nil || current.KID != k.KID
		if changed {
			for _, tag := range pk.Tags(k) {
				out = append(out, tag...)
				out = append(out, '\n')
			}
			if pendingMap == nil {
				pendingMap = lastMap
			}
			current = &k
		}
		if pendingMap != nil {
			out = append(out, mapLine(pk, pendingMap, *current)...)
			pendingMap = nil
		}
		out = append(out, line...)
	}
	return out, nil
}

func mapLine(pk PlaylistKeys, line []byte, k Key) []byte {
	if pk.MapLine == nil {
		return line
	}
	return pk.MapLine(line, k)
}
