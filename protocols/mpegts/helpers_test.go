package mpegts

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"streamhive/media"
)

// result is everything one demux produced.
type result struct {
	tracks []media.Track
	frames []*media.Frame
	stats  *media.InputStats
	err    error // the error that ended it (io.EOF for a clean end)
}

func demuxAll(t testing.TB, data []byte, cfg Config) result {
	t.Helper()
	r := result{stats: &media.InputStats{}}
	d := NewDemuxer(bytes.NewReader(data), cfg, r.stats)
	r.tracks, r.err = d.Tracks()
	if r.err != nil {
		return r
	}
	for {
		f, err := d.ReadFrame()
		if err != nil {
			r.err = err
			return r
		}
		r.frames = append(r.frames, f)
	}
}

// count returns how many frames of track id there are, and how many of
// them are keyframes.
func (r result) count(id int) (n, keys int) {
	for _, f := range r.frames {
		if f.Track == id {
			n++
			if f.Keyframe {
				keys++
			}
		}
	}
	return n, keys
}

// checkMonotonic fails if a track's DTS goes backwards or PTS < DTS.
func (r result) checkMonotonic(t testing.TB) {
	t.Helper()
	last := map[int]time.Duration{}
	for i, f := range r.frames {
		if p, ok := last[f.Track]; ok && f.DTS <= p {
			t.Fatalf("frame %d track %d: DTS %v after %v", i, f.Track, f.DTS, p)
		}
		if f.PTS < f.DTS || f.DTS < 0 {
			t.Fatalf("frame %d track %d: DTS %v PTS %v", i, f.Track, f.DTS, f.PTS)
		}
		last[f.Track] = f.DTS
	}
}

func wantEOF(t testing.TB, err error) {
	t.Helper()
	if !errors.Is(err, io.EOF) {
		t.Fatalf("demux ended with %v, want io.EOF", err)
	}
}

// tsPacket is a view of one 188-byte packet of a test stream.
type tsPacket []byte

func (p tsPacket) pid() int      { return int(p[1]&0x1f)<<8 | int(p[2]) }
func (p tsPacket) start() bool   { return p[1]&0x40 != 0 }
func (p tsPacket) payload() bool { return p[3]&0x10 != 0 }
func (p tsPacket) cc() int       { return int(p[3] & 0x0f) }
func (p tsPacket) setCC(cc int)  { p[3] = p[3]&0xf0 | byte(cc&0x0f) }
func (p tsPacket) scramble()     { p[3] |= 0x80 }

// packets splits a copy of data into packets.
func packets(t testing.TB, data []byte) []tsPacket {
	t.Helper()
	if len(data)%packetSize != 0 {
		t.Fatalf("stream of %d bytes is not whole packets", len(data))
	}
	c := bytes.Clone(data)
	var out []tsPacket
	for i := 0; i < len(c); i += packetSize {
		out = append(out, tsPacket(c[i:i+packetSize]))
	}
	return out
}

func join(ps []tsPacket) []byte {
	var b bytes.Buffer
	for _, p := range ps {
		b.Write(p)
	}
	return b.Bytes()
}
