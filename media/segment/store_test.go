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
	// (these were 1.32x before segments were compacted, 1.04x after).
	if limit := media + media/5; kept > int64(limit) {
		t.Errorf("heap kept %d bytes for a window of %d (limit %d)", kept, media, limit)
	}
	runtime.KeepAlive(s)
	runtime.KeepAlive(frames)
}

// TestSegmentIsOneAllocation: a finished segment's TS, CMAF and parts are
// views into one buffer of exactly its size.
func TestSegmentIsOneAllocation(t *testing.T) {
	clip := loadClip(t)
	s := feed(t, Config{SegmentDuration: 2 * time.Second}, clip.Tracks, clip.Loop(10*time.Second))
	for _, seg := range s.Window().Segments {
		size := len(seg.TS)
		for _, c := range seg.CMAF {
			size += len(c)
		}
		start := uintptr(unsafe.Pointer(unsafe.SliceData(seg.TS)))
		inside := func(b []byte) bool {
			if len(b) == 0 {
				return true
			}
			p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
			return p >= start && p+uintptr(len(b)) <= start+uintptr(size) && cap(b) == len(b)
		}
		for i, c := range seg.CMAF {
			if !inside(c) {
				t.Fatalf("segment %d: track %d's CMAF lies outside the segment's buffer", seg.MSN, i)
			}
		}
		var joined int
		for _, p := range seg.Parts {
			if !inside(p.TS) {
				t.Fatalf("segment %d part %d: TS outside the segment's buffer", seg.MSN, p.Index)
			}
			joined += len(p.TS)
			for i, c := range p.CMAF {
				if !inside(c) {
					t.Fatalf("segment %d part %d track %d: CMAF outside the segment's buffer", seg.MSN, p.Index, i)
				}
			}
		}
		if joined != len(seg.TS) {
			t.Fatalf("segment %d: parts' TS %d bytes, segment's %d", seg.MSN, joined, len(seg.TS))
		}
	}
}
