package export

import (
	"time"

	"github.com/Eyevinn/mp4ff/mp4"
)

// table is one output track's sample tables, built in the first pass.
// times are the wanted decode times on the output timeline (track units);
// durations are derived from them at the end, so that the sample before a
// gap lasts until the sample after it.
type table struct {
	timescale uint32
	video     bool
	sizes     []uint32
	times     []int64
	ctos      []int32
	syncs     []uint32 // 1-based sample numbers
	chunks    []chunk
	lastDur   uint32
}

// chunk is one record's samples of one track, contiguous in the mdat.
type chunk struct {
	offset  uint64 // from the start of the mdat payload
	samples uint32
	size    uint64
}

// add appends one record's samples, shifted by shift track units, as a
// chunk at mdat payload offset off. It returns the chunk's byte size.
func (t *table) add(ss []sample, shift int64, off uint64) uint64 {
	if len(ss) == 0 {
		return 0
	}
	var size uint64
	for _, s := range ss {
		t.sizes = append(t.sizes, uint32(len(s.data)))
		t.times = append(t.times, int64(s.decode)+shift)
		t.ctos = append(t.ctos, s.cto)
		if s.sync {
			t.syncs = append(t.syncs, uint32(len(t.sizes)))
		}
		size += uint64(len(s.data))
	}
	t.lastDur = ss[len(ss)-1].dur
	t.chunks = append(t.chunks, chunk{offset: off, samples: uint32(len(ss)), size: size})
	return size
}

// durations returns each sample's duration: up to the next sample's wanted
// time (at least one unit, so decode times stay strictly rising), the last
// one its own. The sum is the track's duration in units.
func (t *table) durations() ([]uint32, uint64) {
	out := make([]uint32, len(t.times))
	if len(t.times) == 0 {
		return out, 0
	}
	cur := t.times[0]
	var total uint64
	for i := range t.times {
		d := int64(t.lastDur)
		if i+1 < len(t.times) {
			d = max(t.times[i+1]-cur, 1)
		}
		d = min(d, 1<<32-1)
		out[i] = uint32(d)
		cur += d
		total += uint64(d)
	}
	return out, total
}

// start is the track's first wanted decode time, in units (may be < 0 by
// a frame when audio began just before the first video keyframe).
func (t *table) start() int64 {
	if len(t.times) == 0 {
		return 0
	}
	return t.times[0]
}

// stbl builds the sample table box; base is the mdat payload's offset in
// the file, added to every chunk offset. stsd is the track's sample
// description from its init segment.
func (t *table) stbl(stsd *mp4.StsdBox, base uint64) (*mp4.StblBox, error) {
	st := mp4.NewStblBox()
	st.AddChild(stsd)
	durs, _ := t.durations()
	stts := &mp4.SttsBox{}
	for _, d := range durs {
		if n := len(stts.SampleTimeDelta); n > 0 && stts.SampleTimeDelta[n-1] == d {
			stts.SampleCount[n-1]++
			continue
		}
		stts.SampleCount = append(stts.SampleCount, 1)
		stts.SampleTimeDelta = append(stts.SampleTimeDelta, d)
	}
	st.AddChild(stts)
	if ctts, err := t.ctts(); err != nil {
		return nil, err
	} else if ctts != nil {
		st.AddChild(ctts)
	}
	stsc := &mp4.StscBox{}
	for i, c := range t.chunks {
		if i > 0 && t.chunks[i-1].samples == c.samples {
			continue
		}
		if err := stsc.AddEntry(uint32(i+1), c.samples, 1); err != nil {
			return nil, err
		}
	}
	st.AddChild(stsc)
	st.AddChild(&mp4.StszBox{SampleNumber: uint32(len(t.sizes)), SampleSize: t.sizes})
	if t.video {
		st.AddChild(&mp4.StssBox{SampleNumber: t.syncs})
	}
	co := &mp4.Co64Box{}
	for _, c := range t.chunks {
		co.ChunkOffset = append(co.ChunkOffset, base+c.offset)
	}
	st.AddChild(co)
	return st, nil
}

// ctts returns the composition offsets, nil when every one is zero.
func (t *table) ctts() (*mp4.CttsBox, error) {
	var counts []uint32
	var offs []int32
	nonZero, negative := false, false
	for _, o := range t.ctos {
		nonZero = nonZero || o != 0
		negative = negative || o < 0
		if n := len(offs); n > 0 && offs[n-1] == o {
			counts[n-1]++
			continue
		}
		counts = append(counts, 1)
		offs = append(offs, o)
	}
	if !nonZero {
		return nil, nil
	}
	c := &mp4.CttsBox{}
	if negative {
		c.Version = 1
	}
	if err := c.AddSampleCountsAndOffset(counts, offs); err != nil {
		return nil, err
	}
	return c, nil
}

// units converts d to track units (rounded down).
func units(d time.Duration, timescale uint32) int64 {
	return int64(d / time.Microsecond * time.Duration(timescale) / 1e6)
}
