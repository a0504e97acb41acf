package segment

import "unsafe"

// Storage of finished segments. A segment is built in buffers whose size
// is a guess (the last segment's, a quarter over), and the in-progress
// parts that windows already published point into them. Kept where it was
// built, a segment holds the guess's slack, and after a buffer grew its
// early parts pin the outgrown array too: up to twice its size for as
// long as it stays in the window. Such a segment is moved into one exact
// allocation, its parts made views of it. One that fits its buffers (no
// growth, at most a quarter unused) stays: the copy costs a memmove and
// page faults of a fresh allocation per segment, a sixth of the server's
// CPU in a profile of 20 RTMP streams when every segment was moved.

// maxSlack is the unused share of a building buffer a finished segment may
// keep instead of being moved: 1/maxSlack of its length.
const maxSlack = 4

// store makes seg, just finished from ep's buffers, fit to be kept: moved
// by compact unless it fits them.
func store(seg *Segment, ep *epoch) {
	if tracksFit(seg, ep) {
		return
	}
	compact(seg)
}

func tracksFit(seg *Segment, ep *epoch) bool {
	for i := range ep.tracks {
		if !fits(ep.tracks[i].out.buf, seg.CMAF[i], seg.Parts, func(p *Part) []byte { return p.CMAF[i] }) {
			return false
		}
	}
	return true
}

// fits reports whether whole (a segment's bytes in one container, a view
// of buf) leaves at most a maxSlack-th of buf unused and every part's bytes
// lie in it: none was left behind in an array buf outgrew.
func fits(buf, whole []byte, parts []*Part, of func(*Part) []byte) bool {
	if cap(buf)-len(whole) > len(whole)/maxSlack {
		return false
	}
	for _, p := range parts {
		if !within(of(p), whole) {
			return false
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

// compact moves seg's bytes (CMAF, and its parts' views of them) into
// one exact allocation. The parts are replaced by copies that point into
// it; the old Part values stay valid for readers of earlier windows, which
// keep the building buffers alive only as long as they hold them.
func compact(seg *Segment) {
	size := 0
	for _, c := range seg.CMAF {
		size += len(c)
	}
	buf := make([]byte, 0, size)
	// Where each part's bytes land: parts are contiguous runs of the
	// segment's buffers, in order.
	cmAt := make([]int, len(seg.CMAF))
	for i, c := range seg.CMAF {
		cmAt[i] = len(buf)
		buf = append(buf, c...)
		seg.CMAF[i] = buf[cmAt[i]:len(buf):len(buf)]
	}
	parts := make([]*Part, len(seg.Parts))
	for j, p := range seg.Parts {
		q := *p
		q.CMAF = make([][]byte, len(p.CMAF))
		for i, c := range p.CMAF {
			q.CMAF[i], cmAt[i] = view(buf, cmAt[i], c), cmAt[i]+len(c)
		}
		parts[j] = &q
	}
	seg.Parts = parts
}

// view is the run of buf at `at` as long as was, with its capacity
// clipped; nil where was is nil.
func view(buf []byte, at int, was []byte) []byte {
	if was == nil {
		return nil
	}
	return buf[at : at+len(was) : at+len(was)]
}

// buildBuffer returns the buffer a segment is built in, sized from the
// previous segment's length with a quarter more: a bigger segment grows
// it (a copy, and its early parts stay in the outgrown array until
// compact), a smaller one leaves slack, and either lasts only while the
// segment is built. Segments of one stream differ little in size.
func buildBuffer(last int) []byte {
	return make([]byte, 0, last+last/4)
}
