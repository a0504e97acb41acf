package mp4file

import (
	"fmt"
	"io"

	"github.com/Eyevinn/mp4ff/mp4"
)

// sampleNonSync is sample_is_non_sync_sample in a sample's flags (ISO/IEC
// 14496-12 §8.8.3.1).
const sampleNonSync = 0x00010000

// readFragments appends each moof's samples to its track's table
// (ISO/IEC 14496-12 §8.8): a traf's tfdt gives its first DTS (else the
// track's previous end), its trun's data offset is counted from the moof
// (default-base-is-moof, and what CMAF writes) unless tfhd names a base.
func (m *Movie) readFragments(r io.ReaderAt, moov *mp4.MoovBox, moofs []box) error {
	byID := map[uint32]*Table{}
	for _, tb := range m.tables {
		byID[tb.id] = tb
	}
	for _, s := range m.Subtitles {
		byID[s.table.id] = s.table
	}
	for _, b := range moofs {
		parsed, err := decode(r, b, maxMoof)
		if err != nil {
			return err
		}
		moof, ok := parsed.(*mp4.MoofBox)
		if !ok {
			return fmt.Errorf("%w: moof at %d", ErrCorrupt, b.start)
		}
		for _, traf := range moof.Trafs {
			if traf.Tfhd == nil {
				return fmt.Errorf("%w: traf without tfhd in moof at %d", ErrCorrupt, b.start)
			}
			tb := byID[traf.Tfhd.TrackID]
			if tb == nil {
				continue // a track we do not carry
			}
			if err := tb.addTraf(traf, trex(moov, traf.Tfhd.TrackID), b.start); err != nil {
				return fmt.Errorf("%w: moof at %d: %w", ErrCorrupt, b.start, err)
			}
		}
	}
	return nil
}

// addTraf appends one traf's samples.
func (tb *Table) addTraf(traf *mp4.TrafBox, tx *mp4.TrexBox, moofStart int64) error {
	dts := int64(0)
	if n := len(tb.Samples); n > 0 {
		dts = tb.Samples[n-1].DTS + tb.lastDur
	}
	if traf.Tfdt != nil {
		dts = int64(traf.Tfdt.BaseMediaDecodeTime())
	}
	base := moofStart
	if traf.Tfhd.HasBaseDataOffset() {
		base = int64(traf.Tfhd.BaseDataOffset)
	}
	pos := base
	for _, trun := range traf.Truns {
		if len(tb.Samples)+int(trun.SampleCount()) > maxSamples {
			return fmt.Errorf("more than %d samples", maxSamples)
		}
		trun.AddSampleDefaultValues(traf.Tfhd, tx)
		if trun.HasDataOffset() {
			pos = base + int64(trun.DataOffset)
		}
		for i, s := range trun.Samples {
			if s.Size > maxSampleSize {
				return fmt.Errorf("sample of %d bytes", s.Size)
			}
			flags := s.Flags
			if f, ok := trun.FirstSampleFlags(); ok && i == 0 {
				flags = f
			}
			tb.Samples = append(tb.Samples, Sample{
				Offset: pos, Size: s.Size, DTS: dts, CTO: s.CompositionTimeOffset,
				Sync: flags&sampleNonSync == 0,
			})
			pos += int64(s.Size)
			dts += int64(s.Dur)
			tb.lastDur = int64(s.Dur)
		}
	}
	return nil
}

// trex returns the track's defaults for fragments, or nil.
func trex(moov *mp4.MoovBox, id uint32) *mp4.TrexBox {
	if moov.Mvex == nil {
		return nil
	}
	for _, t := range moov.Mvex.Trexs {
		if t.TrackID == id {
			return t
		}
	}
	return nil
}
