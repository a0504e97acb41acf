package mp4file

import (
	"errors"
	"fmt"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/Eyevinn/mp4ff/mp4"
)

// Text formats of subtitle tracks: 3GPP timed text (ffmpeg's mov_text,
// 3GPP TS 26.245) and ISO/IEC 14496-30 WebVTT.
const (
	FormatTx3g = "tx3g"
	FormatWvtt = "wvtt"
)

// maxCueText bounds one cue's text (a tx3g sample says its length in 16
// bits; a wvtt sample is bounded the same way).
const maxCueText = 1 << 16

// Subtitle is a text track of the file: its samples are cues.
type Subtitle struct {
	Format   string // FormatTx3g or FormatWvtt
	Language string // mdhd's ISO 639-2/T code; "und" when unset
	table    *Table
	lastDur  int64 // the last sample's duration, ticks
}

// Cue is one subtitle: its text shown from Start to End (movie time).
type Cue struct {
	Start, End time.Duration
	Text       string
}

// readSubtitle reads a text track's table, or nil for a track that is not one.
func readSubtitle(trak *mp4.TrakBox, movieScale, fileSize int64) (*Subtitle, error) {
	if trak.Tkhd == nil || trak.Mdia == nil || trak.Mdia.Mdhd == nil || trak.Mdia.Minf == nil ||
		trak.Mdia.Minf.Stbl == nil || trak.Mdia.Minf.Stbl.Stsd == nil || len(trak.Mdia.Minf.Stbl.Stsd.Children) == 0 {
		return nil, nil
	}
	format := trak.Mdia.Minf.Stbl.Stsd.Children[0].Type()
	if format != FormatTx3g && format != FormatWvtt {
		return nil, nil
	}
	stbl := trak.Mdia.Minf.Stbl
	tb := &Table{Timescale: int64(trak.Mdia.Mdhd.Timescale), id: trak.Tkhd.TrackID}
	if tb.Timescale <= 0 {
		return nil, errors.New("text track timescale 0")
	}
	var err error
	if tb.Samples, err = sampleTable(stbl, fileSize); err != nil {
		return nil, fmt.Errorf("%s track: %w", format, err)
	}
	tb.Shift = editShift(trak, tb.Timescale, movieScale)
	s := &Subtitle{Format: format, Language: trak.Mdia.Mdhd.GetLanguage(), table: tb}
	if stbl.Stts != nil && len(stbl.Stts.SampleTimeDelta) > 0 {
		s.lastDur = int64(stbl.Stts.SampleTimeDelta[len(stbl.Stts.SampleTimeDelta)-1])
	}
	return s, nil
}

// Cues reads subtitle track i's cues that show at some time in [from, to).
func (m *Movie) Cues(i int, from, to time.Duration) ([]Cue, error) {
	s := m.Subtitles[i]
	tb := s.table
	n := len(tb.Samples)
	// the first sample ending after from: the one after the last starting at or before it
	k := sort.Search(n, func(j int) bool { return m.textTime(tb, j) > from })
	k = max(k-1, 0)
	var out []Cue
	for ; k < n; k++ {
		start := m.textTime(tb, k)
		if start >= to {
			break
		}
		end := m.textEnd(s, k)
		if end <= from || end <= start {
			continue
		}
		text, err := m.cueText(s, k)
		if err != nil {
			return nil, err
		}
		if text != "" {
			out = append(out, Cue{Start: start, End: end, Text: text})
		}
	}
	return out, nil
}

func (m *Movie) textTime(tb *Table, j int) time.Duration {
	return tb.time(tb.Samples[j].DTS) - m.origin
}

// textEnd is where sample k stops showing: the next sample's start, or
// the last sample's own duration.
func (m *Movie) textEnd(s *Subtitle, k int) time.Duration {
	tb := s.table
	if k+1 < len(tb.Samples) {
		return m.textTime(tb, k+1)
	}
	d := s.lastDur
	if tb.lastDur > 0 { // a fragmented file's
		d = tb.lastDur
	}
	return tb.time(tb.Samples[k].DTS+d) - m.origin
}

// cueText reads sample k and decodes its text.
func (m *Movie) cueText(s *Subtitle, k int) (string, error) {
	smp := s.table.Samples[k]
	if smp.Size > maxCueText+2 || smp.Offset < 0 || smp.Offset+int64(smp.Size) > m.size {
		return "", fmt.Errorf("%w: text sample %d at %d+%d", ErrCorrupt, k, smp.Offset, smp.Size)
	}
	buf := make([]byte, smp.Size)
	if _, err := m.r.ReadAt(buf, smp.Offset); err != nil {
		return "", fmt.Errorf("mp4file: text sample %d at %d: %w", k, smp.Offset, err)
	}
	if s.Format == FormatWvtt {
		return WvttText(buf)
	}
	return Tx3gText(buf)
}

// Tx3gText decodes a 3GPP timed text sample (3GPP TS 26.245 §5.16): a
// 16-bit text length, the UTF-8 text, then style boxes (ignored). An
// empty text is a gap between cues.
func Tx3gText(b []byte) (string, error) {
	if len(b) < 2 {
		return "", fmt.Errorf("%w: tx3g sample of %d bytes", ErrCorrupt, len(b))
	}
	n := int(b[0])<<8 | int(b[1])
	if n > len(b)-2 {
		return "", fmt.Errorf("%w: tx3g text of %d bytes in a %d-byte sample", ErrCorrupt, n, len(b))
	}
	return clean(b[2 : 2+n]), nil
}

// WvttText decodes an ISO/IEC 14496-30 WebVTT sample: vttc boxes whose
// payl holds a cue's text (several are joined by lines), or a vtte
// (no cue).
func WvttText(b []byte) (string, error) {
	var text string
	err := walkBoxes(b, func(kind string, body []byte) error {
		if kind != "vttc" {
			return nil
		}
		return walkBoxes(body, func(kind string, payl []byte) error {
			if kind == "payl" {
				if text != "" {
					text += "\n"
				}
				text += clean(payl)
			}
			return nil
		})
	})
	return text, err
}

// walkBoxes calls fn for each box of b (32-bit sizes only, as 14496-30's
// sample boxes are), bounded by b.
func walkBoxes(b []byte, fn func(kind string, body []byte) error) error {
	for len(b) > 0 {
		if len(b) < 8 {
			return fmt.Errorf("%w: truncated box in a text sample", ErrCorrupt)
		}
		size := int64(b[0])<<24 | int64(b[1])<<16 | int64(b[2])<<8 | int64(b[3])
		if size < 8 || size > int64(len(b)) {
			return fmt.Errorf("%w: text box of %d bytes in %d", ErrCorrupt, size, len(b))
		}
		if err := fn(string(b[4:8]), b[8:size]); err != nil {
			return err
		}
		b = b[size:]
	}
	return nil
}

// clean makes text safe for a WebVTT cue payload: valid UTF-8, no blank
// line (which would end the cue) and no "-->".
func clean(b []byte) string {
	s := string(b)
	if !utf8.ValidString(s) {
		s = string([]rune(s)) // invalid bytes become U+FFFD
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\r':
			continue
		case c == '\n' && (len(out) == 0 || out[len(out)-1] == '\n'):
			continue
		case c == '>' && len(out) >= 2 && string(out[len(out)-2:]) == "--":
			out = append(out, []byte("&gt;")...)
			continue
		case c == 0:
			continue
		}
		out = append(out, c)
	}
	for len(out) > 0 && out[len(out)-1] == '\n' {
		out = out[:len(out)-1]
	}
	return string(out)
}
