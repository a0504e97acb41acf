package hls

import "streamhive/media/segment"

// In returns the bytes r names in w: a whole segment, a part or an init
// segment, in r's format (and track, for FMP4). Nil when w lacks it: it
// left the window or is not there yet, the track does not exist, or the
// track had no sample in it. The bytes are w's own: read-only.
func (r Ref) In(w *segment.Window) []byte {
	if r.Init {
		in := w.InitOf(r.Epoch)
		if in == nil || r.Track < 0 || r.Track >= len(in.CMAF) {
			return nil
		}
		return nonEmpty(in.CMAF[r.Track])
	}
	var ts func() []byte // MPEG-TS is made on demand: only when asked for
	var cmaf [][]byte
	if r.Part < 0 {
		seg := w.Segment(r.MSN)
		if seg == nil {
			return nil
		}
		ts, cmaf = seg.MPEGTS, seg.CMAF
	} else {
		p := w.Part(r.MSN, r.Part)
		if p == nil {
			return nil
		}
		ts, cmaf = p.MPEGTS, p.CMAF
	}
	if r.Format == TS {
		return nonEmpty(ts())
	}
	if r.Track < 0 || r.Track >= len(cmaf) {
		return nil
	}
	return nonEmpty(cmaf[r.Track])
}

func nonEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}
