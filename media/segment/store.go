package segment

// Storage of finished segments: each one is held in a single allocation
// of exactly its size, MPEG-TS first, then each track's CMAF, and its
// parts are views into it.
//
// A segment is built in growing buffers (their size is a guess, and the
// in-progress parts that windows already published point into them), so a
// segment kept where it was built would hold the guess's slack, and after
// a growth its early parts would pin the outgrown arrays too: up to twice
// its size for the whole time it stays in the window. One copy per
// segment (a memmove of its bytes, once) gives that back.

// compact moves seg's bytes (TS, CMAF, and its parts' views of them) into
// one exact allocation. The parts are replaced by copies that point into
// it; the old Part values stay valid for readers of earlier windows, which
// keep the building buffers alive only as long as they hold them.
func compact(seg *Segment) {
	size := len(seg.TS)
	for _, c := range seg.CMAF {
		size += len(c)
	}
	buf := make([]byte, 0, size)
	// Where each part's bytes land: parts are contiguous runs of the
	// segment's buffers, in order.
	tsAt := len(buf)
	buf = append(buf, seg.TS...)
	seg.TS = buf[tsAt:len(buf):len(buf)]
	cmAt := make([]int, len(seg.CMAF))
	for i, c := range seg.CMAF {
		cmAt[i] = len(buf)
		buf = append(buf, c...)
		seg.CMAF[i] = buf[cmAt[i]:len(buf):len(buf)]
	}
	parts := make([]*Part, len(seg.Parts))
	for j, p := range seg.Parts {
		q := *p
		q.TS, tsAt = view(buf, tsAt, p.TS), tsAt+len(p.TS)
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
