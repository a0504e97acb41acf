package file

import (
	"errors"
	"fmt"

	"github.com/Eyevinn/mp4ff/mp4"

	"streamhive/media"
	"streamhive/media/mp4track"
)

// readTrak reads a track's configuration and sample table. A track of a
// codec we do not carry gives nil, no error.
func readTrak(trak *mp4.TrakBox, movieScale int64) (*mp4Track, media.Track, error) {
	var track media.Track
	if trak.Mdia == nil || trak.Mdia.Mdhd == nil || trak.Mdia.Minf == nil || trak.Mdia.Minf.Stbl == nil {
		return nil, track, nil
	}
	stbl := trak.Mdia.Minf.Stbl
	if stbl.Stsd == nil {
		return nil, track, nil
	}
	var err error
	track, err = sampleEntry(stbl.Stsd)
	if err != nil || track.Codec == "" {
		return nil, track, err
	}
	tr := &mp4Track{codec: track.Codec, timescale: int64(trak.Mdia.Mdhd.Timescale)}
	if tr.timescale <= 0 {
		return nil, track, errors.New("track timescale 0")
	}
	if tr.samples, err = sampleTable(stbl); err != nil {
		return nil, track, fmt.Errorf("%s track: %w", track.Codec, err)
	}
	tr.shift = editShift(trak, tr.timescale, movieScale)
	return tr, track, nil
}

// sampleEntry reads the first sample description.
func sampleEntry(stsd *mp4.StsdBox) (media.Track, error) { return mp4track.FromStsd(stsd) }

// sampleTable walks stts, ctts, stsc, stsz, stco/co64 and stss into one
// entry per sample (ISO/IEC 14496-12 §8.6-8.7).
func sampleTable(stbl *mp4.StblBox) ([]sample, error) {
	if stbl.Stts == nil || stbl.Stsc == nil || stbl.Stsz == nil || (stbl.Stco == nil && stbl.Co64 == nil) {
		return nil, errors.New("incomplete sample table")
	}
	n := int(stbl.Stsz.SampleNumber)
	if n > 10_000_000 {
		return nil, fmt.Errorf("%d samples", n)
	}
	out := make([]sample, n)
	// sizes and sync
	for i := range out {
		switch {
		case stbl.Stsz.SampleUniformSize != 0:
			out[i].size = stbl.Stsz.SampleUniformSize
		case i < len(stbl.Stsz.SampleSize):
			out[i].size = stbl.Stsz.SampleSize[i]
		default:
			return nil, errors.New("stsz shorter than its sample count")
		}
		if out[i].size > maxSample {
			return nil, fmt.Errorf("sample %d of %d bytes", i+1, out[i].size)
		}
		out[i].sync = stbl.Stss == nil
	}
	if stbl.Stss != nil {
		for _, nr := range stbl.Stss.SampleNumber {
			if nr >= 1 && int(nr) <= n {
				out[nr-1].sync = true
			}
		}
	}
	// decode times
	i, t := 0, int64(0)
	for k, count := range stbl.Stts.SampleCount {
		for range count {
			if i == n {
				break
			}
			out[i].dts = t
			t += int64(stbl.Stts.SampleTimeDelta[k])
			i++
		}
	}
	if i != n {
		return nil, errors.New("stts covers fewer samples than stsz")
	}
	// composition offsets: run k covers samples EndSampleNr[k]+1..EndSampleNr[k+1]
	if c := stbl.Ctts; c != nil {
		for k, off := range c.SampleOffset {
			for nr := c.EndSampleNr[k] + 1; nr <= c.EndSampleNr[k+1] && int(nr) <= n; nr++ {
				out[nr-1].cto = off
			}
		}
	}
	return out, chunkOffsets(stbl, out)
}

// chunkOffsets places every sample: samples fill chunks in order, as many
// per chunk as the stsc entry in force says, back to back from the
// chunk's offset.
func chunkOffsets(stbl *mp4.StblBox, out []sample) error {
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
	i, e := 0, 0
	for c := 0; c < chunks && i < len(out); c++ {
		for e+1 < len(entries) && int(entries[e+1].FirstChunk) <= c+1 {
			e++
		}
		if len(entries) == 0 {
			return errors.New("empty stsc")
		}
		pos := offset(c)
		for range entries[e].SamplesPerChunk {
			if i == len(out) {
				break
			}
			out[i].offset = pos
			pos += int64(out[i].size)
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
