package segment

import (
	"bytes"
	"testing"
	"time"

	"streamhive/media"
)

// TestTSOnDemandIsOneStream: the MPEG-TS made on demand, segment by
// segment, reads as one muxer's output: every PID's continuity counter
// runs on across segments and parts, each segment is its parts' bytes in
// order, and the lengths known beforehand are the lengths made.
func TestTSOnDemandIsOneStream(t *testing.T) {
	clip := loadClip(t)
	// The clip, and a cadence whose keyframes cut parts short.
	for _, frames := range [][]*media.Frame{clip.Loop(12 * time.Second), clip.Paced(30, 50, 12*time.Second)} {
		s := feed(t, Config{SegmentDuration: 2 * time.Second, WindowSegments: 10}, clip.Tracks, frames)
		checkTSOfWindow(t, s.Window())
	}
}

// checkTSOfWindow checks that w's segments are their parts' TS bytes, of
// the lengths known beforehand, and read as one stream.
func checkTSOfWindow(t *testing.T, w *Window) {
	t.Helper()
	var all []byte
	for _, seg := range w.Segments {
		b := seg.MPEGTS()
		if len(b) != seg.TSLen() {
			t.Fatalf("segment %d: %d bytes made, %d known", seg.MSN, len(b), seg.TSLen())
		}
		var parts []byte
		for _, p := range seg.Parts {
			pb := p.MPEGTS()
			if len(pb) != p.TSLen() {
				t.Fatalf("segment %d part %d: %d bytes made, %d known", seg.MSN, p.Index, len(pb), p.TSLen())
			}
			parts = append(parts, pb...)
		}
		if !bytes.Equal(parts, b) {
			t.Fatalf("segment %d is not its parts' bytes", seg.MSN)
		}
		all = append(all, b...)
	}
	checkContinuity(t, all)
}

// checkContinuity walks 188-byte packets and checks that each PID's
// continuity counter grows by one per packet with a payload.
func checkContinuity(t *testing.T, ts []byte) {
	t.Helper()
	if len(ts) == 0 || len(ts)%tsPacket != 0 {
		t.Fatalf("%d bytes: not whole packets", len(ts))
	}
	last := map[uint16]byte{}
	for at := 0; at < len(ts); at += tsPacket {
		p := ts[at : at+tsPacket]
		if p[0] != 0x47 {
			t.Fatalf("packet %d: no sync byte", at/tsPacket)
		}
		pid, cc := uint16(p[1]&0x1f)<<8|uint16(p[2]), p[3]&0x0f
		if was, ok := last[pid]; ok && cc != (was+1)&0x0f {
			t.Fatalf("packet %d, PID %d: continuity counter %d after %d", at/tsPacket, pid, cc, was)
		}
		last[pid] = cc
	}
	if len(last) < 3 {
		t.Fatalf("PIDs %v: want PAT, PMT and the tracks", last)
	}
}

// TestTSCacheKeepsItsBudget: reading every segment and part of a window
// keeps no more than the cache's budget, and a second read of a cached
// part returns the same bytes without making them again.
func TestTSCacheKeepsItsBudget(t *testing.T) {
	clip := loadClip(t)
	s := feed(t, Config{SegmentDuration: 2 * time.Second}, clip.Tracks, clip.Loop(12*time.Second))
	const budget = 64 << 10
	SetTSCacheBytes(budget)
	t.Cleanup(func() { SetTSCacheBytes(DefaultTSCacheBytes) })
	for _, seg := range s.Window().Segments {
		seg.MPEGTS()
		for _, p := range seg.Parts {
			p.MPEGTS()
			if n := TSCacheBytes(); n > budget {
				t.Fatalf("cache holds %d bytes, budget %d", n, budget)
			}
		}
	}
	p := s.Window().Partial.Parts[0]
	a, b := p.MPEGTS(), p.MPEGTS()
	if len(a) == 0 || &a[0] != &b[0] {
		t.Fatal("a cached part was made again")
	}
	SetTSCacheBytes(0)
	if n := TSCacheBytes(); n != 0 {
		t.Fatalf("cache holds %d bytes with a budget of 0", n)
	}
}

// FuzzMuxFragment: whatever a track's fragment holds, muxing it never
// panics and writes exactly the bytes counting it predicts.
func FuzzMuxFragment(f *testing.F) {
	clip := loadClip(f)
	s := feed(f, Config{SegmentDuration: time.Second}, clip.Tracks, clip.Loop(2*time.Second))
	seg := s.Window().Segments[0]
	for _, p := range seg.Parts[:2] {
		f.Add(p.CMAF[0], p.CMAF[1])
	}
	f.Add([]byte{0, 0, 0, 8, 'm', 'o', 'o', 'f'}, []byte{})
	in := seg.Init
	f.Fuzz(func(t *testing.T, video, audio []byte) {
		cmaf := [][]byte{video, audio}
		counter := in.tsMux().from(tsState{cc: make([]byte, 2), fresh: true}, nil)
		counter.count = true
		counter.muxPart(in, cmaf, true)
		writer := in.tsMux().from(tsState{cc: make([]byte, 2), fresh: true}, nil)
		writer.muxPart(in, cmaf, true)
		if got := len(writer.out); got != counter.size || got%tsPacket != 0 {
			t.Fatalf("wrote %d bytes, counted %d", got, counter.size)
		}
	})
}

// BenchmarkSegmentMPEGTS: making one 2 s segment's MPEG-TS from its CMAF,
// as a cache miss does.
func BenchmarkSegmentMPEGTS(b *testing.B) {
	clip := loadClip(b)
	s := feed(b, Config{SegmentDuration: 2 * time.Second}, clip.Tracks, clip.Loop(6*time.Second))
	seg := s.Window().Segments[0]
	SetTSCacheBytes(0)
	b.Cleanup(func() { SetTSCacheBytes(DefaultTSCacheBytes) })
	b.SetBytes(int64(seg.TSLen()))
	b.ReportAllocs()
	for b.Loop() {
		seg.MPEGTS()
	}
}
