package segment

import "bytes"

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
	pieces := make([][]byte, 0, len(seg.Parts))
	for i := range tracks {
		pieces = pieces[:0]
		for _, p := range seg.Parts {
			if i < len(p.CMAF) && len(p.CMAF[i]) > 0 {
				pieces = append(pieces, p.CMAF[i])
			}
		}
		switch len(pieces) {
		case 0:
			continue
		case 1:
			seg.CMAF[i] = pieces[0] // one part's array, of its exact size already
		default:
			// Exact, and not cleared before the copy (make would clear
			// it, a second pass over a megabyte per segment).
			seg.CMAF[i] = bytes.Join(pieces, nil)
		}
		at := 0
		for j, p := range seg.Parts {
			if i < len(p.CMAF) && len(p.CMAF[i]) > 0 {
				n := len(p.CMAF[i])
				parts[j].CMAF[i] = seg.CMAF[i][at : at+n : at+n]
				at += n
			}
		}
	}
	seg.Parts = make([]*Part, len(parts))
	for j := range parts {
		seg.Parts[j] = &parts[j]
	}
}
