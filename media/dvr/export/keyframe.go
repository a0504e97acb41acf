package export

import (
	"encoding/binary"
	"errors"
	"fmt"

	"streamhive/media"
	"streamhive/media/dvr"
)

// ErrNoKeyframe is returned when the record holds no video keyframe (an
// audio-only stream, or a record without video samples).
var ErrNoKeyframe = errors.New("export: record has no video keyframe")

// Keyframe returns rec's first video keyframe as a frame of its track
// (NAL units without start codes or length prefixes, as inputs deliver
// them), for a thumbnail decoder. The frame's payload aliases the bytes
// the archive returned.
func Keyframe(a dvr.Archive, rec dvr.Record) (media.Track, *media.Frame, error) {
	in, err := a.Init(rec)
	if err != nil {
		return media.Track{}, nil, err
	}
	frags, err := a.ReadCMAF(rec)
	if err != nil {
		return media.Track{}, nil, err
	}
	for i, t := range in.Tracks {
		if t.Codec.Kind() != media.KindVideo || i >= len(frags) {
			continue
		}
		ss, err := fragmentSamples(frags[i])
		if err != nil {
			return media.Track{}, nil, err
		}
		for _, s := range ss {
			if !s.sync {
				continue
			}
			nalus, err := splitLengthPrefixed(s.data)
			if err != nil {
				return media.Track{}, nil, err
			}
			return t, &media.Frame{Track: t.ID, Keyframe: true, Data: nalus}, nil
		}
	}
	return media.Track{}, nil, ErrNoKeyframe
}

// splitLengthPrefixed splits an AVC/HEVC sample of 4-byte length-prefixed
// NAL units (what media/segment writes).
func splitLengthPrefixed(b []byte) ([][]byte, error) {
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 4 {
			return nil, fmt.Errorf("export: truncated NAL unit length")
		}
		n := binary.BigEndian.Uint32(b)
		if uint64(n) > uint64(len(b)-4) {
			return nil, fmt.Errorf("export: NAL unit of %d bytes in %d", n, len(b)-4)
		}
		out = append(out, b[4:4+n])
		b = b[4+n:]
	}
	return out, nil
}
