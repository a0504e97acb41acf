package segment

// Storage of segments. A stream holds its window's bytes once, at their
// exact size, and the parts of the segment in progress at theirs:
//   - a part's fragments are written, as it is cut, into arrays of their
//     exact size (fragment.encode), so the segment in progress reserves
//     nothing ahead of what it has;
//   - a finished segment's parts are joined into one array per track, of
//     the segment's exact size, and its parts are made again as views of it
//     (store), so nothing else pins the parts' arrays once no reader holds
//     the windows that listed them.
//
// The bytes of a part are never written again once it is cut, and the
// Part values of earlier windows (Window.Partial) stay as they were:
// readers in flight keep valid bytes. The price is one copy of each byte,
// when its segment finishes: about 1 MB per 2 s for a 4 Mbit/s stream.
// Writing segments one after another into shared arrays that grew with
// room for two more saved that copy, but pinned each array until its last
// segment left the window and kept up to two segments of room: 9.6 MB
// held for a 6 MB window.

// store makes seg, just finished, fit to be kept: its CMAF becomes, per
// track, one exact-size array holding its parts' fragments in order, and
// its Parts become copies of the parts that view it. seg.Parts' backing
// array is shared with windows already published and is not written.
func store(seg *Segment, tracks int) {
	parts := make([]Part, len(seg.Parts))
	views := make([][]byte, len(seg.Parts)*tracks)
	for j, p := range seg.Parts {
		parts[j] = *p
		parts[j].CMAF = views[j*tracks : (j+1)*tracks : (j+1)*tracks]
	}
	seg.CMAF = make([][]byte, tracks)
	for i := range tracks {
		buf := newBuffer(partsLen(seg.Parts, i))
		for j, p := range seg.Parts {
			if i >= len(p.CMAF) || len(p.CMAF[i]) == 0 {
				continue
			}
			at := len(buf)
			buf = append(buf, p.CMAF[i]...)
			parts[j].CMAF[i] = buf[at:len(buf):len(buf)]
		}
		seg.CMAF[i] = buf
	}
	seg.Parts = make([]*Part, len(parts))
	for j := range parts {
		seg.Parts[j] = &parts[j]
	}
}

// partsLen is the length of track i's fragments over parts.
func partsLen(parts []*Part, i int) int {
	n := 0
	for _, p := range parts {
		if i < len(p.CMAF) {
			n += len(p.CMAF[i])
		}
	}
	return n
}
