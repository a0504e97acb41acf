package segment

import (
	"bytes"
	"runtime"
	"testing"
	"time"
	"unsafe"
)

// windowBytes sums the bytes a window's segments and parts keep (CMAF;
// MPEG-TS is made on demand).
func windowBytes(w *Window) int {
	n := 0
	for _, s := range w.Segments {
		for _, c := range s.CMAF {
			n += len(c)
		}
	}
	if w.Partial != nil {
		for _, p := range w.Partial.Parts {
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
	runtime.GC() // a second one empties sync.Pools' victim caches
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestWindowHoldsItsBytesOnce feeds a minute of the clip and checks that
// the heap the segmenter keeps is its window's CMAF plus little: no MPEG-TS
// copy (made on demand), no room reserved ahead of the segment in progress
// and no array pinned by a segment that left the window (store.go).
func TestWindowHoldsItsBytesOnce(t *testing.T) {
	clip := loadClip(t)
	frames := clip.Loop(60 * time.Second)
	cached, before := TSCacheBytes(), liveHeap()
	s := feed(t, Config{SegmentDuration: 2 * time.Second, WindowSegments: 6}, clip.Tracks, frames)
	kept := int64(liveHeap()) - int64(before)
	w := s.Window()
	media, ts, parts := windowBytes(w), 0, len(w.Partial.Parts)
	for _, seg := range w.Segments {
		ts += seg.TSLen()
		parts += len(seg.Parts)
	}
	t.Logf("window: %d segments + %d parts, %d CMAF bytes (%d more as MPEG-TS); heap kept %d (%.2fx)",
		len(w.Segments), len(w.Partial.Parts), media, ts, kept, float64(kept)/float64(media))
	// The excess allowed is each part's structs (Part, its slices of CMAF
	// and spans, its TS state: about 330 bytes) and a sixteenth for the
	// allocator's size classes: 1.10x to 1.12x measured, with or without
	// the race detector. Segments written one after another into shared
	// arrays that grew with room for two more kept 1.41x; kept as MPEG-TS
	// too, the window was 2.2x its CMAF (615,848 bytes for this one).
	if limit := media + media/16 + 400*parts; kept > int64(limit) {
		t.Errorf("heap kept %d bytes for a window of %d in %d parts (limit %d)", kept, media, parts, limit)
	}
	if n := TSCacheBytes(); n != cached {
		t.Errorf("MPEG-TS made with nobody asking: the cache went from %d to %d bytes", cached, n)
	}
	runtime.KeepAlive(s)
	runtime.KeepAlive(frames)
}

// TestPartsAreViewsOfTheirSegment: a finished segment's parts are views
// of its bytes, which fill their arrays (store.go).
func TestPartsAreViewsOfTheirSegment(t *testing.T) {
	clip := loadClip(t)
	s := feed(t, Config{SegmentDuration: 2 * time.Second}, clip.Tracks, clip.Loop(20*time.Second))
	for _, seg := range s.Window().Segments {
		for i, c := range seg.CMAF {
			if cap(c) != len(c) {
				t.Errorf("segment %d track %d: %d bytes in an array of %d", seg.MSN, i, len(c), cap(c))
			}
		}
		for _, p := range seg.Parts {
			for i, c := range p.CMAF {
				if !within(c, seg.CMAF[i]) {
					t.Fatalf("segment %d part %d track %d: CMAF outside the segment's", seg.MSN, p.Index, i)
				}
			}
		}
	}
}

// TestPartsKeepTheirBytes: the parts a reader took from a window while
// their segment was in progress keep their bytes once it finishes (they
// are never written again), and the finished segment's parts hold the same
// bytes, as views of its exact-size arrays. A part's fragments are written
// at their exact size (fragmentSize): no capacity past their length.
func TestPartsKeepTheirBytes(t *testing.T) {
	clip := loadClip(t)
	frames := clip.Loop(20 * time.Second)
	s := New(Config{SegmentDuration: 2 * time.Second, Now: fixedNow})
	if err := s.SetTracks(clip.Tracks); err != nil {
		t.Fatal(err)
	}
	var held []*Part // the parts of a segment in progress, as a reader saw them
	var saved [][][]byte
	var msn uint64
	i := 0
	for ; i < len(frames); i++ {
		s.WriteFrame(frames[i])
		if w := s.Window(); len(w.Segments) == 2 && w.Partial != nil && len(w.Partial.Parts) == 5 {
			held, msn = w.Partial.Parts, w.Partial.MSN
			break
		}
	}
	if held == nil {
		t.Fatal("no window with a segment in progress of 5 parts")
	}
	for _, p := range held {
		var c [][]byte
		for k, b := range p.CMAF {
			if cap(b) != len(b) {
				t.Errorf("part %d track %d: %d bytes in an array of %d", p.Index, k, len(b), cap(b))
			}
			c = append(c, bytes.Clone(b))
		}
		saved = append(saved, c)
	}
	for ; i < len(frames) && s.Window().Segment(msn) == nil; i++ {
		s.WriteFrame(frames[i])
	}
	seg := s.Window().Segment(msn)
	if seg == nil {
		t.Fatalf("segment %d did not finish", msn)
	}
	for j, p := range held {
		for k := range p.CMAF {
			if !bytes.Equal(p.CMAF[k], saved[j][k]) {
				t.Fatalf("part %d track %d: a reader's bytes changed after its segment finished", j, k)
			}
			if !bytes.Equal(seg.Parts[j].CMAF[k], saved[j][k]) {
				t.Fatalf("part %d track %d: the finished segment's part differs from the part in progress", j, k)
			}
		}
	}
}

// within reports whether b's bytes lie inside whole's.
func within(b, whole []byte) bool {
	if len(b) == 0 {
		return true
	}
	if len(whole) == 0 {
		return false
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(whole)))
	at := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return at >= lo && at+uintptr(len(b)) <= lo+uintptr(len(whole))
}
