package hlspull

// mp4ff is imported here as in protocols/file (whose comment says why it
// leaves media/segment): reading another origin's fMP4 segments is input
// adaptation. mediacommon's fmp4 reader would bring abema/go-mp4, a
// second MP4 library, into the module.

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/Eyevinn/mp4ff/mp4"

	"streamhive/media"
)

// errFMP4 is what a segment or init section that does not parse wraps.
var errFMP4 = errors.New("bad fMP4")

// decodeMP4 parses a whole init section or media segment. The input
// comes from another server: checkBoxes first refuses box trees that would
// have mp4ff allocate by counts it does not check, and a panic inside
// mp4ff on hostile input is turned into an error rather than taking the
// process down (FuzzSegment feeds it garbage).
func decodeMP4(b []byte) (f *mp4.File, err error) {
	if err := checkBoxes(b, 0); err != nil {
		return nil, err
	}
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("%w: %v", errFMP4, r)
		}
	}()
	f, err = mp4.DecodeFile(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errFMP4, err)
	}
	return f, nil
}

// sample is one fMP4 sample of a track, times in the track's timescale.
type sample struct {
	dts  uint64
	cto  int32
	sync bool
	data []byte
}

// trackSamples reads the samples of every track fragment of seg whose
// track ID init knows, per track ID, in decode order. Sample positions
// are checked against the mdat (ISO/IEC 14496-12 §8.8.7-8.8.8).
func trackSamples(seg *mp4.File, init *fmp4Init) (map[uint32][]sample, error) {
	out := map[uint32][]sample{}
	for _, ms := range seg.Segments {
		for _, frag := range ms.Fragments {
			if frag.Moof == nil {
				continue
			}
			if frag.Mdat == nil {
				return nil, fmt.Errorf("%w: moof without mdat", errFMP4)
			}
			for _, traf := range frag.Moof.Trafs {
				if traf.Tfhd == nil {
					return nil, fmt.Errorf("%w: traf without tfhd", errFMP4)
				}
				t := init.traks[traf.Tfhd.TrackID]
				if t == nil {
					continue
				}
				ss, err := trafSamples(frag.Moof, frag.Mdat, traf, t.trex)
				if err != nil {
					return nil, err
				}
				out[traf.Tfhd.TrackID] = append(out[traf.Tfhd.TrackID], ss...)
			}
		}
	}
	return out, nil
}

// trafSamples reads one track fragment's runs. The defaults come from
// tfhd, then trex; a run without data_offset continues where the previous
// one ended (the first starts at the moof, or tfhd's base_data_offset).
func trafSamples(moof *mp4.MoofBox, mdat *mp4.MdatBox, traf *mp4.TrafBox, trex *mp4.TrexBox) ([]sample, error) {
	var dts uint64
	if traf.Tfdt != nil {
		dts = traf.Tfdt.BaseMediaDecodeTime()
	}
	base := int64(moof.StartPos)
	if traf.Tfhd.HasBaseDataOffset() {
		base = int64(traf.Tfhd.BaseDataOffset)
	}
	pos := base - int64(mdat.PayloadAbsoluteOffset())
	var out []sample
	for _, trun := range traf.Truns {
		trun.AddSampleDefaultValues(traf.Tfhd, trex)
		if trun.HasDataOffset() {
			pos = base + int64(trun.DataOffset) - int64(mdat.PayloadAbsoluteOffset())
		}
		for _, s := range trun.Samples {
			end := pos + int64(s.Size)
			if pos < 0 || end > int64(len(mdat.Data)) {
				return nil, fmt.Errorf("%w: sample outside its mdat", errFMP4)
			}
			flags := mp4.DecodeSampleFlags(s.Flags)
			out = append(out, sample{dts: dts, cto: s.CompositionTimeOffset, sync: !flags.SampleIsNonSync, data: mdat.Data[pos:end]})
			dts += uint64(s.Dur)
			pos = end
		}
	}
	return out, nil
}

// splitNALUs splits a length-prefixed (ISO/IEC 14496-15) video sample
// into NAL units. The units share b's memory.
func splitNALUs(b []byte, lenSize int) ([][]byte, error) {
	var out [][]byte
	for len(b) > 0 {
		if len(b) < lenSize {
			return nil, fmt.Errorf("%w: NAL unit length cut short", errFMP4)
		}
		n := 0
		for _, c := range b[:lenSize] {
			n = n<<8 | int(c)
		}
		b = b[lenSize:]
		if n > len(b) {
			return nil, fmt.Errorf("%w: NAL unit past its sample", errFMP4)
		}
		if n > 0 {
			out = append(out, b[:n:n])
		}
		b = b[n:]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: empty video sample", errFMP4)
	}
	return out, nil
}

// toDuration converts ticks of a timescale to a duration without
// overflowing for decode times of days at 90 kHz.
func toDuration(ticks int64, timescale uint64) time.Duration {
	ts := int64(timescale)
	return time.Duration(ticks/ts)*time.Second + time.Duration(ticks%ts)*time.Second/time.Duration(ts)
}

// sortFrames orders a segment's frames by DTS, video before audio at equal
// DTS: fMP4 stores each track's run whole, but the stream wants them
// interleaved as they play.
func sortFrames(frames []*media.Frame) {
	slices.SortStableFunc(frames, func(a, b *media.Frame) int { return cmp.Compare(a.DTS, b.DTS) })
}
