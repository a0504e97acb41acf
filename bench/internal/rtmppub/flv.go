package rtmppub

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"time"
)

// FLV tag types (FLV specification v10.1, annex E.4.1): Tag.Type.
const (
	TagAudio  = 8
	TagVideo  = 9
	TagScript = 18
)

// ErrBadFLV marks a file that does not follow the FLV layout.
var ErrBadFLV = errors.New("rtmppub: malformed FLV")

// Tag is one FLV tag: its type, its timestamp in milliseconds and its body,
// which is exactly the payload of the RTMP message of the same type.
type Tag struct {
	Type byte
	TS   uint32
	Data []byte
}

// Header reports whether the tag is a codec sequence header (AVC or HEVC
// decoder configuration, AAC AudioSpecificConfig) or script data: sent once
// per connection, not on every loop of the sample.
func (t Tag) Header() bool {
	switch t.Type {
	case TagScript:
		return true
	case TagVideo:
		return len(t.Data) > 1 && t.Data[0]&0x0f == 7 && t.Data[1] == 0
	case TagAudio:
		return len(t.Data) > 1 && t.Data[0]>>4 == 10 && t.Data[1] == 0
	}
	return false
}

// Sample is a parsed FLV file, ready to be replayed in a loop.
type Sample struct {
	Tags []Tag
	// Loop is the timestamp offset added on each repetition: past the last
	// tag of either track by that track's mean frame interval, so both
	// tracks stay monotonic across the seam.
	Loop time.Duration
}

// ParseFLV splits an FLV file into tags. It keeps audio, video and script
// tags and ignores anything else.
func ParseFLV(b []byte) (*Sample, error) {
	if len(b) < 9 || string(b[:3]) != "FLV" {
		return nil, fmt.Errorf("%w: no FLV signature", ErrBadFLV)
	}
	pos := int(binary.BigEndian.Uint32(b[5:9])) + 4 // header, then PreviousTagSize0
	s := &Sample{}
	for pos < len(b) {
		if len(b)-pos < 11 {
			return nil, fmt.Errorf("%w: truncated tag header at %d", ErrBadFLV, pos)
		}
		h := b[pos : pos+11]
		size := int(h[1])<<16 | int(h[2])<<8 | int(h[3])
		ts := uint32(h[4])<<16 | uint32(h[5])<<8 | uint32(h[6]) | uint32(h[7])<<24
		end := pos + 11 + size
		if end+4 > len(b) {
			return nil, fmt.Errorf("%w: tag at %d runs past the end", ErrBadFLV, pos)
		}
		if typ := h[0] & 0x1f; typ == TagAudio || typ == TagVideo || typ == TagScript {
			s.Tags = append(s.Tags, Tag{Type: typ, TS: ts, Data: b[pos+11 : end]})
		}
		pos = end + 4
	}
	if len(s.Tags) == 0 {
		return nil, fmt.Errorf("%w: no tags", ErrBadFLV)
	}
	s.Loop = loopLength(s.Tags)
	return s, nil
}

// loopLength is the offset between two repetitions of tags: each track's
// span plus its mean frame interval, the longer of the two.
func loopLength(tags []Tag) time.Duration {
	var loop int64
	for _, typ := range []byte{TagVideo, TagAudio} {
		lo, hi, n := int64(math.MaxInt64), int64(-1), int64(0)
		for _, t := range tags {
			if t.Type == typ && !t.Header() {
				lo, hi, n = min(lo, int64(t.TS)), max(hi, int64(t.TS)), n+1
			}
		}
		if n == 0 {
			continue
		}
		step := int64(1)
		if n > 1 {
			step = max(step, (hi-lo)/(n-1))
		}
		loop = max(loop, hi+step)
	}
	return time.Duration(loop) * time.Millisecond
}

// LoadFLV reads and parses an FLV file.
func LoadFLV(path string) (*Sample, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := ParseFLV(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}
