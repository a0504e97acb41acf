package export

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"streamhive/media"
	"streamhive/media/dvr"
)

// Errors.
var (
	// ErrNoRecording: the archive holds no record in the range.
	ErrNoRecording = errors.New("export: no recording in range")
	// ErrCodecChange: the range spans a change of codec parameters, which
	// one progressive MP4 cannot carry (see the package comment).
	ErrCodecChange = errors.New("export: codec parameters change within range")
	// ErrChanged: a record read in the second pass is not what the first
	// pass read (it can only be replaced by a bug in the store).
	ErrChanged = errors.New("export: record changed while exporting")
)

// WriteMP4 writes the records of a overlapping [from, to) to w as one
// progressive MP4. Whole records are written (they start on keyframes),
// so the file may begin up to a segment before from and end up to a
// segment after to. Nothing is written when it fails before the first
// byte (ErrNoRecording, ErrCodecChange, a record already gone); a record
// that retention deletes while the data is being written ends it with an
// error wrapping dvr.ErrGone and a truncated w.
func WriteMP4(ctx context.Context, a dvr.Archive, from, to time.Time, w io.Writer) error {
	p, err := Prepare(ctx, a, from, to)
	if err != nil {
		return err
	}
	return p.Write(ctx, w)
}

// Plan is a prepared export: its moov is built and its size is known.
// Use it once; it is not safe for concurrent use.
type Plan struct {
	a      dvr.Archive
	recs   []dvr.Record
	tracks []media.Track
	tables []*table
	header []byte // ftyp, moov, mdat header
	size   int64
}

// Prepare runs the first pass of WriteMP4: it lists the records, checks
// their epochs agree and builds the MP4 header. A caller that must choose
// an HTTP status before streaming (and wants a Content-Length) calls
// Prepare, then Plan.Write.
func Prepare(ctx context.Context, a dvr.Archive, from, to time.Time) (*Plan, error) {
	recs := a.Records(from, to)
	if len(recs) == 0 {
		return nil, fmt.Errorf("%w: %s to %s", ErrNoRecording, from.UTC().Format(time.RFC3339), to.UTC().Format(time.RFC3339))
	}
	first, err := a.Init(recs[0])
	if err != nil {
		return nil, err
	}
	p := &Plan{a: a, recs: recs, tracks: first.Tracks}
	if err := p.checkEpochs(); err != nil {
		return nil, err
	}
	for i, t := range first.Tracks {
		p.tables = append(p.tables, &table{timescale: first.Timescales[i], video: t.Codec.Kind() == media.KindVideo})
	}
	var payload uint64
	var offset time.Duration
	for i, rec := range recs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		offset = timelineOffset(recs, i, offset)
		n, err := p.scan(rec, offset, payload)
		if err != nil {
			return nil, err
		}
		payload += n
	}
	if p.header, err = p.buildHeader(first, payload); err != nil {
		return nil, err
	}
	p.size = int64(len(p.header)) + int64(payload)
	return p, nil
}

// Size is the byte size of the MP4 that Write writes.
func (p *Plan) Size() int64 { return p.size }

// Start and End are the wall clock of the first record and just after
// the last one.
func (p *Plan) Start() time.Time { return p.recs[0].Start }

// End is the wall clock just after the last record.
func (p *Plan) End() time.Time { return p.recs[len(p.recs)-1].End() }

// checkEpochs reports ErrCodecChange when a record's epoch has other codec
// parameters than the first record's.
func (p *Plan) checkEpochs() error {
	seen := map[int]bool{p.recs[0].Epoch: true}
	for _, rec := range p.recs[1:] {
		if seen[rec.Epoch] {
			continue
		}
		in, err := p.a.Init(rec)
		if err != nil {
			return err
		}
		if !sameParams(p.tracks, in.Tracks) {
			return fmt.Errorf("%w at %s", ErrCodecChange, rec.Start.UTC().Format(time.RFC3339Nano))
		}
		seen[rec.Epoch] = true
	}
	return nil
}

// timelineOffset returns the offset from record i's timeline (Record.DTS)
// to the file's: the first record starts the file at zero; a record after
// a gap starts where the previous one ended plus the wall-clock length of
// the gap; any other record keeps the previous offset, so contiguous
// records stay sample-exact.
func timelineOffset(recs []dvr.Record, i int, prev time.Duration) time.Duration {
	rec := recs[i]
	if i == 0 {
		return -rec.DTS
	}
	if !rec.Gap {
		return prev
	}
	before := recs[i-1]
	gap := max(rec.Start.Sub(before.End()), 0)
	return before.DTS + before.Duration + prev + gap - rec.DTS
}

// scan reads rec's fragments and adds its samples to the tables as chunks
// from mdat payload offset off; it returns the bytes they add.
func (p *Plan) scan(rec dvr.Record, offset time.Duration, off uint64) (uint64, error) {
	frags, err := p.a.ReadCMAF(rec)
	if err != nil {
		return 0, err
	}
	var n uint64
	for t, tb := range p.tables {
		if t >= len(frags) {
			continue
		}
		ss, err := fragmentSamples(frags[t])
		if err != nil {
			return 0, fmt.Errorf("record at %s track %d: %w", rec.Start.UTC().Format(time.RFC3339Nano), t, err)
		}
		n += tb.add(ss, units(offset, tb.timescale), off+n)
	}
	return n, nil
}

// Write writes the MP4: the header, then each record's sample data in the
// order the tables list it.
func (p *Plan) Write(ctx context.Context, out io.Writer) error {
	w := bufio.NewWriterSize(out, 64<<10) // samples are small: write them in blocks
	if _, err := w.Write(p.header); err != nil {
		return err
	}
	next := make([]int, len(p.tables)) // next chunk per track
	for _, rec := range p.recs {
		if err := ctx.Err(); err != nil {
			return err
		}
		frags, err := p.a.ReadCMAF(rec)
		if err != nil {
			return err
		}
		for t, tb := range p.tables {
			if t >= len(frags) || len(frags[t]) == 0 {
				continue
			}
			if err := p.writeChunk(w, tb, &next[t], frags[t]); err != nil {
				return err
			}
		}
	}
	return w.Flush()
}

// writeChunk writes one record's samples of one track, checking they are
// the chunk the first pass planned.
func (p *Plan) writeChunk(w io.Writer, tb *table, next *int, frag []byte) error {
	ss, err := fragmentSamples(frag)
	if err != nil {
		return err
	}
	if len(ss) == 0 {
		return nil
	}
	var size uint64
	for _, s := range ss {
		size += uint64(len(s.data))
	}
	if *next >= len(tb.chunks) || tb.chunks[*next].size != size || tb.chunks[*next].samples != uint32(len(ss)) {
		return ErrChanged
	}
	*next++
	for _, s := range ss {
		if _, err := w.Write(s.data); err != nil {
			return err
		}
	}
	return nil
}

// sameParams reports whether b has the codecs and codec parameters of a.
func sameParams(a, b []media.Track) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Codec != y.Codec || x.SampleRate != y.SampleRate || x.Channels != y.Channels ||
			x.Width != y.Width || x.Height != y.Height ||
			string(x.VPS) != string(y.VPS) || string(x.SPS) != string(y.SPS) || string(x.PPS) != string(y.PPS) ||
			string(x.AudioConfig) != string(y.AudioConfig) {
			return false
		}
	}
	return true
}
