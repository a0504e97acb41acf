package segment

import "unsafe"

// Storage of finished segments. Each track's segments are written one
// after another into a shared array (alloc.go reserve): a segment starts
// where the previous one ended, and an array is replaced by a bigger one,
// with room for about two more segments, only when the segment in progress
// outgrows it; then its bytes so far are copied over once. So no segment
// is copied when it finishes (moving each finished segment into an exact
// allocation, and clearing the fresh building buffer of each, were a third
// of the server's CPU in a profile of 20 RTMP streams), and the unused
// room an array keeps is its tail, for the next segment, not a slack per
// segment. An array lives while any of its segments is in a window.

// store makes seg, just finished, fit to be kept: its bytes lie in one
// array per track already, but parts written before that array outgrew its
// predecessor still point into the old one, pinning it. Such parts are
// replaced by copies that view the segment's bytes; the old Part values stay
// valid for readers of earlier windows.
func store(seg *Segment) {
	if partsWithin(seg) {
		return
	}
	at := make([]int, len(seg.CMAF)) // where each part's bytes start: parts are contiguous runs, in order
	parts := make([]*Part, len(seg.Parts))
	for j, p := range seg.Parts {
		q := *p
		q.CMAF = make([][]byte, len(p.CMAF))
		for i, c := range p.CMAF {
			q.CMAF[i], at[i] = view(seg.CMAF[i], at[i], c), at[i]+len(c)
		}
		parts[j] = &q
	}
	seg.Parts = parts
}

// partsWithin reports whether every part's bytes lie in its segment's.
func partsWithin(seg *Segment) bool {
	for _, p := range seg.Parts {
		for i, c := range p.CMAF {
			if !within(c, seg.CMAF[i]) {
				return false
			}
		}
	}
	return true
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

// view is the run of buf at `at` as long as was, with its capacity
// clipped; nil where was is nil.
func view(buf []byte, at int, was []byte) []byte {
	if was == nil {
		return nil
	}
	return buf[at : at+len(was) : at+len(was)]
}

// nextSegment starts w's next segment where its last one ended, in the
// same array: the finished segment's slices have their capacity clipped,
// so nothing written after them reaches them. last is that segment's
// length: a growth adds room for two more like it, so that about every
// other segment starts and finishes in one array, and the others are
// copied once, when they are part done.
func (w *appendWriter) nextSegment(last int) {
	w.buf = w.buf[len(w.buf):]
	w.ahead = 2 * last
}
