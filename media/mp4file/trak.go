package mp4file

import (
	"errors"
	"fmt"

	"github.com/Eyevinn/mp4ff/mp4"

	"streamhive/media"
	"streamhive/media/mp4track"
)

// readTrak reads a track's configuration and sample table. A track of a
// codec we do not carry gives nil, no error.
func readTrak(trak *mp4.TrakBox, movieScale, fileSize int64) (*Table, media.Track, error) {
	var track media.Track
	if trak.Tkhd == nil || trak.Mdia == nil || trak.Mdia.Mdhd == nil || trak.Mdia.Minf == nil || trak.Mdia.Minf.Stbl == nil {
		return nil, track, nil
	}
	stbl := trak.Mdia.Minf.Stbl
	if stbl.Stsd == nil {
		return nil, track, nil
	}
	var err error
	track, err = mp4track.FromStsd(stbl.Stsd)
	if err != nil || track.Codec == "" {
		return nil, track, err
	}
	tb := &Table{Timescale: int64(trak.Mdia.Mdhd.Timescale)}
	if tb.Timescale <= 0 {
		return nil, track, errors.New("track timescale 0")
	}
	if tb.Samples, err = sampleTable(stbl, fileSize); err != nil {
		return nil, track, fmt.Errorf("%s track: %w", track.Codec, err)
	}
	tb.Shift = editShift(trak, tb.Timescale, movieScale)
	return tb, track, nil
}

// sampleTable walks stts, ctts, stsc, stsz, stco/co64 and stss into one
// entry per sample (ISO/IEC 14496-12 §8.6-8.7). A fragmented file's moov
// has empty tables (or none but stsd).
func sampleTable(stbl *mp4.StblBox, fileSize int64) ([]Sample, error) {
	if stbl.Stsz == nil || stbl.Stsz.SampleNumber == 0 {
		return nil, nil
	}
	if stbl.Stts == nil || stbl.Stsc == nil || (stbl.Stco == nil && stbl.Co64 == nil) {
		return nil, errors.New("incomplete sample table")
	}
	n := int(stbl.Stsz.SampleNumber)
	// A table of sizes is as long as its count; a uniform size must fit
	// the file as many times.
	if n > maxSamples || int64(n)*int64(stbl.Stsz.SampleUniformSize) > fileSize {
		return nil, fmt.Errorf("%d samples", n)
	}
	out := make([]Sample, n)
	// sizes and sync
	for i := range out {
		switch {
		case stbl.Stsz.SampleUniformSize != 0:
			out[i].Size = stbl.Stsz.SampleUniformSize
		case i < len(stbl.Stsz.SampleSize):
			out[i].Size = stbl.Stsz.SampleSize[i]
		default:
			return nil, errors.New("stsz shorter than its sample count")
		}
		if out[i].Size > maxSampleSize {
			return nil, fmt.Errorf("sample %d of %d bytes", i+1, out[i].Size)
		}
		out[i].Sync = stbl.Stss == nil
	}
	if stbl.Stss != nil {
		for _, nr := range stbl.Stss.SampleNumber {
			if nr >= 1 && int(nr) <= n {
				out[nr-1].Sync = true
			}
		}
	}
	if err := decodeTimes(stbl, out); err != nil {
		return nil, err
	}
	return out, chunkOffsets(stbl, out)
}

// decodeTimes fills DTS from stts and composition offsets from ctts.
func decodeTimes(stbl *mp4.StblBox, out []Sample) error {
	n := len(out)
	i, t := 0, int64(0)
	for k, count := range stbl.Stts.SampleCount {
		for range count {
			if i == n {
				break
			}
			out[i].DTS = t
			t += int64(stbl.Stts.SampleTimeDelta[k])
			i++
		}
	}
	if i != n {
		return errors.New("stts covers fewer samples than stsz")
	}
	// composition offsets: run k covers samples EndSampleNr[k]+1..EndSampleNr[k+1]
	if c := stbl.Ctts; c != nil {
		for k, off := range c.SampleOffset {
			// int64: a corrupt table's sample numbers wrap in uint32
			first, last := int64(c.EndSampleNr[k])+1, min(int64(c.EndSampleNr[k+1]), int64(n))
			for nr := first; nr <= last; nr++ {
				out[nr-1].CTO = off
			}
		}
	}
	return nil
}

// chunkOffsets places every sample: samples fill chunks in order, as many
// per chunk as the stsc entry in force says, back to back from the
// chunk's offset.
func chunkOffsets(stbl *mp4.StblBox, out []Sample) error {
	offset := func(c int) int64 {
		if stbl.Co64 != nil {
			return int64(stbl.Co64.ChunkOffset[c])
		}
		return int64(stbl.Stco.ChunkOffset[c])
	}
	var chunks int
	if stbl.Co64 != nil {
		chunks = len(stbl.Co64.ChunkOffset)
	} else {
		chunks = len(stbl.Stco.ChunkOffset)
	}
	entries := stbl.Stsc.Entries
	if len(entries) == 0 {
		return errors.New("empty stsc")
	}
	i, e := 0, 0
	for c := 0; c < chunks && i < len(out); c++ {
		for e+1 < len(entries) && int(entries[e+1].FirstChunk) <= c+1 {
			e++
		}
		pos := offset(c)
		for range entries[e].SamplesPerChunk {
			if i == len(out) {
				break
			}
			out[i].Offset = pos
			pos += int64(out[i].Size)
			i++
		}
	}
	if i != len(out) {
		return fmt.Errorf("chunks hold %d of %d samples", i, len(out))
	}
	return nil
}

// editShift reads the edit list (ISO/IEC 14496-12 §8.6.6): an empty edit
// first delays the track, and the first real edit's media_time is where
// presentation starts. Returns the ticks to add to the track's times.
func editShift(trak *mp4.TrakBox, timescale, movieScale int64) int64 {
	if trak.Edts == nil || len(trak.Edts.Elst) == 0 || movieScale <= 0 {
		return 0
	}
	var shift int64
	for _, e := range trak.Edts.Elst[0].Entries {
		if e.MediaTime == -1 {
			shift += int64(e.SegmentDuration) * timescale / movieScale
			continue
		}
		return shift - e.MediaTime
	}
	return shift
}
