package segment

import (
	"runtime"
	"testing"
	"time"
	"unsafe"
)

// windowBytes sums the bytes a window's segments and parts hand out.
func windowBytes(w *Window) int {
	n := 0
	for _, s := range w.Segments {
		n += len(s.TS)
		for _, c := range s.CMAF {
			n += len(c)
		}
	}
	if w.Partial != nil {
		for _, p := range w.Partial.Parts {
			n += len(p.TS)
			for _, c := range p.CMAF {
				n += len(c)
			}
		}
	}
	return n
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestWindowHoldsItsBytesOnce feeds a minute of the clip and checks that
// the heap the segmenter keeps is its window's bytes plus little: no
// building slack and no outgrown arrays pinned by early parts.
func TestWindowHoldsItsBytesOnce(t *testing.T) {
	clip := loadClip(t)
	frames := clip.Loop(60 * time.Second)
	before := liveHeap()
	s := feed(t, Config{SegmentDuration: 2 * time.Second, WindowSegments: 6}, clip.Tracks, frames)
	kept := int64(liveHeap()) - int64(before)
	w := s.Window()
	media := windowBytes(w)
	t.Logf("window: %d segments + %d parts, %d bytes; heap kept %d (%.2fx)", len(w.Segments), len(w.Partial.Parts), media, kept, float64(kept)/float64(media))
	// The excess allowed is the segment in progress's building buffers
	// and what finished ones may leave unused (1.32x before segments were
	// stored as store.go does).
	if limit := media + media/4; kept > int64(limit) {
		t.Errorf("heap kept %d bytes for a window of %d (limit %d)", kept, media, limit)
	}
	runtime.KeepAlive(s)
	runtime.KeepAlive(frames)
}

// TestPartsAreViewsOfTheirSegment: a finished segment's parts are views
// of its bytes (none left in an outgrown building buffer), and its buffers
// are at most a quarter over its size.
func TestPartsAreViewsOfTheirSegment(t *testing.T) {
	clip := loadClip(t)
	s := feed(t, Config{SegmentDuration: 2 * time.Second}, clip.Tracks, clip.Loop(20*time.Second))
	for _, seg := range s.Window().Segments {
		var joined int
		for _, p := range seg.Parts {
			if !within(p.TS, seg.TS) {
				t.Fatalf("segment %d part %d: TS outside the segment's", seg.MSN, p.Index)
			}
			joined += len(p.TS)
			for i, c := range p.CMAF {
				if !within(c, seg.CMAF[i]) {
					t.Fatalf("segment %d part %d track %d: CMAF outside the segment's", seg.MSN, p.Index, i)
				}
			}
		}
		if joined != len(seg.TS) {
			t.Fatalf("segment %d: parts' TS %d bytes, segment's %d", seg.MSN, joined, len(seg.TS))
		}
	}
}

// TestCompactMakesOneAllocation: a moved segment's TS, CMAF and parts are
// views into one buffer of exactly its size.
func TestCompactMakesOneAllocation(t *testing.T) {
	clip := loadClip(t)
	s := feed(t, Config{SegmentDuration: 2 * time.Second}, clip.Tracks, clip.Loop(6*time.Second))
	seg := *s.Window().Segments[0]
	compact(&seg)
	size := len(seg.TS)
	for _, c := range seg.CMAF {
		size += len(c)
	}
	all := unsafe.Slice(unsafe.SliceData(seg.TS), size)
	for i, c := range seg.CMAF {
		if !within(c, all) || cap(c) != len(c) {
			t.Fatalf("track %d's CMAF lies outside the segment's buffer", i)
		}
	}
	for _, p := range seg.Parts {
		if !within(p.TS, seg.TS) || cap(p.TS) != len(p.TS) {
			t.Fatalf("part %d: TS outside the segment's", p.Index)
		}
		for i, c := range p.CMAF {
			if !within(c, seg.CMAF[i]) {
				t.Fatalf("part %d track %d: CMAF outside the segment's", p.Index, i)
			}
		}
	}
}
