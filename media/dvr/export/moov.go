package export

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/Eyevinn/mp4ff/mp4"

	"streamhive/media/dvr"
)

// movieTimescale is the mvhd and edit-list clock: milliseconds are plenty
// for durations and the leading empty edits.
const movieTimescale = 1000

// buildHeader encodes ftyp, moov and the mdat header for payload bytes of
// sample data. Chunk offsets are 64-bit (co64), so the moov's size does not
// depend on them: it is encoded once to learn its size, then again with
// the offsets moved past the header.
func (p *Plan) buildHeader(in *dvr.Init, payload uint64) ([]byte, error) {
	mdatHdr := mdatHeader(payload)
	var head []byte
	for range 2 {
		base := uint64(len(head)) + uint64(len(mdatHdr)) // 0 the first time
		var b bytes.Buffer
		ftyp := mp4.NewFtyp("isom", 0x200, []string{"isom", "iso2", "avc1", "mp41"})
		if err := ftyp.Encode(&b); err != nil {
			return nil, err
		}
		moov, err := p.moov(in, base)
		if err != nil {
			return nil, err
		}
		if err := moov.Encode(&b); err != nil {
			return nil, fmt.Errorf("export: encoding moov: %w", err)
		}
		head = b.Bytes()
	}
	return append(head, mdatHdr...), nil
}

// mdatHeader is an mdat box header for payload bytes, with a 64-bit size
// when it does not fit 32 bits.
func mdatHeader(payload uint64) []byte {
	if payload+8 <= 1<<32-1 {
		h := binary.BigEndian.AppendUint32(nil, uint32(payload+8))
		return append(h, "mdat"...)
	}
	h := binary.BigEndian.AppendUint32(nil, 1)
	h = append(h, "mdat"...)
	return binary.BigEndian.AppendUint64(h, payload+16)
}

// moov builds the movie box: each track's trak from its init segment with
// the sample tables of this export. base is the file offset of the mdat
// payload. Tracks without a sample are left out.
func (p *Plan) moov(in *dvr.Init, base uint64) (*mp4.MoovBox, error) {
	moov := mp4.NewMoovBox()
	mvhd := mp4.CreateMvhd()
	mvhd.Timescale = movieTimescale
	moov.AddChild(mvhd)
	var id uint32
	for t, tb := range p.tables {
		if len(tb.sizes) == 0 {
			continue
		}
		id++
		trak, err := initTrak(in.CMAF[t])
		if err != nil {
			return nil, fmt.Errorf("export: init of track %d: %w", t, err)
		}
		dur, err := fillTrak(trak, tb, id, base)
		if err != nil {
			return nil, fmt.Errorf("export: track %d: %w", t, err)
		}
		mvhd.Duration = max(mvhd.Duration, dur)
		moov.AddChild(trak)
	}
	if id == 0 {
		return nil, ErrNoRecording
	}
	mvhd.NextTrackID = id + 1
	return moov, nil
}

// initTrak decodes a CMAF init segment (ftyp+moov, one track) and returns
// its trak.
func initTrak(b []byte) (*mp4.TrakBox, error) {
	f, err := mp4.DecodeFile(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	if f.Moov == nil || f.Moov.Trak == nil {
		return nil, fmt.Errorf("no trak in init segment")
	}
	return f.Moov.Trak, nil
}

// fillTrak gives trak its ID, durations, an edit list when the track
// starts after the file does, and the sample tables. It returns the
// track's duration in the movie timescale.
func fillTrak(trak *mp4.TrakBox, tb *table, id uint32, base uint64) (uint64, error) {
	_, units := tb.durations()
	start := max(tb.start(), 0)
	mediaDur := units * movieTimescale / uint64(tb.timescale)
	delay := uint64(start) * movieTimescale / uint64(tb.timescale)
	trak.Tkhd.TrackID = id
	trak.Tkhd.Duration = mediaDur + delay
	trak.Mdia.Mdhd.Duration = units
	if delay > 0 {
		edts := &mp4.EdtsBox{}
		edts.AddChild(&mp4.ElstBox{Entries: []mp4.ElstEntry{
			{SegmentDuration: delay, MediaTime: -1, MediaRateInteger: 1},
			{SegmentDuration: mediaDur, MediaTime: 0, MediaRateInteger: 1},
		}})
		insertAfterTkhd(trak, edts)
	}
	stbl, err := tb.stbl(trak.Mdia.Minf.Stbl.Stsd, base)
	if err != nil {
		return 0, err
	}
	minf := trak.Mdia.Minf
	for i, c := range minf.Children {
		if c == minf.Stbl {
			minf.Children[i] = stbl
		}
	}
	minf.Stbl = stbl
	return mediaDur + delay, nil
}

// insertAfterTkhd puts edts right after the trak's tkhd, where
// ISO/IEC 14496-12 orders it.
func insertAfterTkhd(trak *mp4.TrakBox, edts *mp4.EdtsBox) {
	out := make([]mp4.Box, 0, len(trak.Children)+1)
	for _, c := range trak.Children {
		out = append(out, c)
		if c == trak.Tkhd {
			out = append(out, edts)
		}
	}
	trak.Children = out
	trak.Edts = edts
}
