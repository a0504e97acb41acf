package segment

import (
	"encoding/binary"
	"slices"
	"time"

	"streamhive/media"
)

// MPEG-TS is made on demand. A segment's bytes are kept once, as CMAF (the
// LL-HLS fMP4 parts, DASH and fMP4 HLS need them the instant a part is
// cut); MPEG-TS, which a player asks for only when it plays HLS TS, is
// muxed from them when first asked and kept in a bounded cache while hot
// (tscache.go). Keeping both doubled a stream's memory.
//
// Continuity counters stay continuous across parts and segments as if one
// muxer had written them all: at every part the segmenter's counting muxer
// (which writes nothing) notes the counters it starts from and counts the
// part's bytes, so that a part is muxed alone, in any order, into the same
// bytes a muxer running through the whole stream would have written.

// nonSync is the sample_is_non_sync_sample bit of a trun's sample flags.
const nonSync = 1 << 16

// tsState is where a part's MPEG-TS starts: every stream's continuity
// counter, the tables' counters, the PES packets since the tables and
// whether tables are due first (a segment's first samples).
type tsState struct {
	cc           []byte // by track ID
	patCC, pmtCC byte
	since        int
	fresh        bool
}

func (m *tsMux) state() tsState {
	cc := make([]byte, len(m.streams))
	for i := range m.streams {
		cc[i] = m.streams[i].cc
	}
	return tsState{cc: cc, patCC: m.patCC, pmtCC: m.pmtCC, since: m.sinceTables, fresh: m.fresh}
}

// from returns a writing muxer that starts at st, sharing m's tables.
func (m *tsMux) from(st tsState, out []byte) *tsMux {
	w := &tsMux{
		out: out, media: m.media, lead: m.lead,
		pat: m.pat, pmt: m.pmt, patCC: st.patCC, pmtCC: st.pmtCC, sinceTables: st.since, fresh: st.fresh,
		streams: append([]tsStream(nil), m.streams...),
	}
	for i := range w.streams {
		w.streams[i].cc = st.cc[i]
	}
	return w
}

// muxPart writes (or counts) the samples of one part's CMAF fragments
// (cmaf[i]: track i's moof+mdat, or empty) in decode order across tracks,
// each as the frame it was. first: the part starts its segment. It
// returns how many samples the muxer refused.
func (m *tsMux) muxPart(in *Init, cmaf [][]byte, first bool) int {
	m.fresh = m.fresh || first
	m.readers = slices.Grow(m.readers[:0], len(cmaf))[:len(cmaf)]
	readers := m.readers
	for i, c := range cmaf {
		readers[i] = fragReader{}
		if i < len(in.Timescales) {
			readers[i].open(c, in.Timescales[i])
		}
	}
	var f media.Frame
	bad := 0
	for {
		i := nextTrack(readers)
		if i < 0 {
			return bad
		}
		r := &readers[i]
		dts, cto, key, data := r.next()
		f.Track, f.Keyframe = i, key
		f.Data = m.frameData(i, data)
		pts := fromUnits(dts+cto, r.timescale)
		if m.write(&f, fromUnits(dts, r.timescale), pts) != nil {
			bad++
		}
	}
}

// frameData splits a sample back into the frame's payload: a video
// sample's length-prefixed NAL units, or one audio access unit.
func (m *tsMux) frameData(track int, sample []byte) [][]byte {
	m.nals = m.nals[:0]
	if !m.streams[track].video {
		return append(m.nals, sample)
	}
	for len(sample) >= 4 {
		n := int(binary.BigEndian.Uint32(sample))
		if n > len(sample)-4 {
			break
		}
		m.nals = append(m.nals, sample[4:4+n])
		sample = sample[4+n:]
	}
	if len(m.nals) == 0 {
		m.nals = append(m.nals, nil)
	}
	return m.nals
}

// nextTrack returns the track whose next sample decodes first (the lower
// track on a tie), or -1 when every reader is done.
func nextTrack(rs []fragReader) int {
	at, best := -1, time.Duration(0)
	for i := range rs {
		if !rs[i].more() {
			continue
		}
		if d := fromUnits(rs[i].dts, rs[i].timescale); at < 0 || d < best {
			at, best = i, d
		}
	}
	return at
}

// fragReader reads the samples of one fragment as appendMoof writes it
// (moof: mfhd, traf: tfhd, tfdt, trun with every field; then mdat). It
// checks every length against the bytes it has: a fragment it cannot read
// reads as empty.
type fragReader struct {
	timescale uint32
	trun      []byte // the trun's sample entries, 16 bytes each
	data      []byte // the mdat's payload
	dts       int64  // the next sample's decode time, in units
}

func (r *fragReader) open(frag []byte, timescale uint32) {
	*r = fragReader{timescale: timescale}
	moof, rest, ok := child(frag, "moof")
	if !ok {
		return
	}
	mdat, _, ok := child(rest, "mdat")
	if !ok {
		return
	}
	_, traf, _ := child(moof, "mfhd")
	traf, _, ok = child(traf, "traf")
	if !ok {
		return
	}
	_, rest, _ = child(traf, "tfhd")
	tfdt, rest, ok := child(rest, "tfdt")
	if !ok || len(tfdt) < 8 {
		return
	}
	base := uint64(binary.BigEndian.Uint32(tfdt[4:]))
	if tfdt[0] == 1 {
		if len(tfdt) < 12 {
			return
		}
		base = binary.BigEndian.Uint64(tfdt[4:])
	}
	trun, _, ok := child(rest, "trun")
	if !ok || len(trun) < 12 {
		return
	}
	n := int(binary.BigEndian.Uint32(trun[4:]))
	if n > (len(trun)-12)/16 {
		return
	}
	r.trun, r.data, r.dts = trun[12:12+16*n], mdat, int64(base)
}

func (r *fragReader) more() bool { return len(r.trun) >= 16 }

// next returns the next sample: decode time, composition offset (units),
// whether it is a sync sample, and its bytes.
func (r *fragReader) next() (dts, cto int64, key bool, data []byte) {
	e := r.trun[:16]
	r.trun = r.trun[16:]
	b := binary.BigEndian
	dur, size, flags := int64(b.Uint32(e)), int(b.Uint32(e[4:])), b.Uint32(e[8:])
	dts, cto = r.dts, int64(int32(b.Uint32(e[12:])))
	r.dts += dur
	size = min(size, len(r.data))
	data, r.data = r.data[:size:size], r.data[size:]
	return dts, cto, flags&nonSync == 0, data
}

// child finds the first box of type typ in b (a run of boxes, skipping
// others) and returns its payload and the bytes after it.
func child(b []byte, typ string) (payload, rest []byte, ok bool) {
	for len(b) >= 8 {
		size, hdr := uint64(binary.BigEndian.Uint32(b)), uint64(8)
		if size == 1 {
			if len(b) < 16 {
				return nil, nil, false
			}
			size, hdr = binary.BigEndian.Uint64(b[8:]), 16
		}
		if size < hdr || size > uint64(len(b)) {
			return nil, nil, false
		}
		if string(b[4:8]) == typ {
			return b[hdr:size], b[size:], true
		}
		b = b[size:]
	}
	return nil, nil, false
}

// MPEGTS returns the part as MPEG-TS (every track muxed together), made
// from its CMAF when first asked and cached while hot. Its continuity
// counters continue the previous part's.
func (p *Part) MPEGTS() []byte {
	if p.ts != nil || p.tsLen == 0 {
		return p.ts
	}
	return tsCached(p.tsKey, p.tsLen, func(out []byte) []byte {
		return p.mux(out)
	})
}

// TSLen is the length of the part's MPEG-TS, known without making it.
func (p *Part) TSLen() int {
	if p.ts != nil {
		return len(p.ts)
	}
	return p.tsLen
}

// mux appends the part's MPEG-TS to out.
func (p *Part) mux(out []byte) []byte {
	m := p.init.tsMux().from(p.tsFrom, out)
	m.muxPart(p.init, p.CMAF, p.Index == 0)
	return m.out
}

// MPEGTS returns the whole segment as MPEG-TS, the concatenation of its
// parts', made on demand like Part.MPEGTS; nil for the segment in
// progress (Window.Partial).
func (s *Segment) MPEGTS() []byte {
	if s.ts != nil || s.tsLen == 0 {
		return s.ts
	}
	return tsCached(s.tsKey, s.tsLen, func(out []byte) []byte {
		// One muxer through every part: where each part ends, the next
		// one's noted state begins.
		m := s.Parts[0].init.tsMux().from(s.Parts[0].tsFrom, out)
		for _, p := range s.Parts {
			m.muxPart(p.init, p.CMAF, p.Index == 0)
		}
		return m.out
	})
}

// TSLen is the length of the segment's MPEG-TS (for the segment in
// progress: of its parts so far), known without making it.
func (s *Segment) TSLen() int {
	if s.ts != nil {
		return len(s.ts)
	}
	if s.tsLen > 0 {
		return s.tsLen
	}
	n := 0
	for _, p := range s.Parts {
		n += p.TSLen()
	}
	return n
}

// WithTS gives a part made outside a segmenter (a test's, a stored one's)
// its MPEG-TS bytes, and returns it.
func (p *Part) WithTS(ts []byte) *Part {
	p.ts = ts
	return p
}

// WithTS gives a segment made outside a segmenter its MPEG-TS bytes, and
// returns it.
func (s *Segment) WithTS(ts []byte) *Segment {
	s.ts = ts
	return s
}

// tsMux returns the epoch's muxer prototype: its tables and PIDs, never
// written to (from copies what it changes).
func (in *Init) tsMux() *tsMux { return in.ts }
