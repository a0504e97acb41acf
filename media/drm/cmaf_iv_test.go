package drm_test

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/Eyevinn/mp4ff/mp4"

	"streamhive/media/drm"
	"streamhive/media/drm/drmtest"
	"streamhive/media/segment"
)

// counterRange is the CTR counter blocks one sample's encryption used:
// from its IV (a 128-bit big-endian number) for blocks blocks.
type counterRange struct {
	hi, lo uint64
	blocks uint64
	where  string
}

// TestCENCCountersNeverRepeat encrypts two runs of a stream under one key
// (no expires=: it never changes) whose decode times restart, as after a
// server restart, and checks that no CTR counter block serves two samples:
// a repeated one would give away the XOR of their clear bytes. Both runs
// decrypt.
func TestCENCCountersNeverRepeat(t *testing.T) {
	key, _ := drmtest.New("restart").KeyAt(time.Now())
	start := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	var ranges []counterRange
	for run, at := range []time.Time{start, start.Add(time.Hour)} {
		segs := clipSegmentsAt(t, func() time.Time { return at })
		for _, seg := range segs {
			for tr := range 2 {
				p, err := drm.ProtectTrack(seg.Init.CMAF[tr], key, drm.CENC, tr)
				if err != nil {
					t.Fatal(err)
				}
				enc, err := p.Encrypt(seg.CMAF[tr], seg.ProgramDateTime)
				if err != nil {
					t.Fatal(err)
				}
				plain := clearSamples(t, seg.Init.CMAF[tr], seg.CMAF[tr])
				if got := decryptCMAF(t, p.Init(), enc, key.Key[:]); !bytes.Equal(got, plain) {
					t.Fatalf("run %d segment %d track %d: decrypted samples differ from the clear ones", run, seg.MSN, tr)
				}
				ranges = append(ranges, sampleCounters(t, seg, tr, p.Init(), enc, run)...)
				// The archive keeps a segment's start in Unix ms: its bytes
				// must be the ones the segment had live.
				arc, err := p.Encrypt(seg.CMAF[tr], time.UnixMilli(seg.ProgramDateTime.UnixMilli()))
				if err != nil || !bytes.Equal(arc, enc) {
					t.Fatalf("run %d segment %d track %d: archived bytes differ from live ones (%v)", run, seg.MSN, tr, err)
				}
			}
		}
		if run == 1 && len(segs) > 0 && segs[0].Spans[0].Base != 0 {
			t.Fatalf("the second run's decode times do not restart: %d", segs[0].Spans[0].Base)
		}
	}
	slices.SortFunc(ranges, func(a, b counterRange) int {
		return cmp.Or(cmp.Compare(a.hi, b.hi), cmp.Compare(a.lo, b.lo))
	})
	for i := 1; i < len(ranges); i++ {
		a, b := ranges[i-1], ranges[i]
		if a.hi == b.hi && a.lo+a.blocks > b.lo {
			t.Fatalf("counter blocks shared by %s and %s", a.where, b.where)
		}
	}
}

// sampleCounters reads each sample's IV from the senc of enc (init, the
// protected init) and the blocks its protected bytes took.
func sampleCounters(t *testing.T, seg *segment.Segment, tr int, init, enc []byte, run int) []counterRange {
	t.Helper()
	f, err := mp4.DecodeFile(bytes.NewReader(append(append([]byte(nil), init...), enc...)))
	if err != nil {
		t.Fatal(err)
	}
	var out []counterRange
	for _, ms := range f.Segments {
		for fi, frag := range ms.Fragments {
			traf := frag.Moof.Traf
			if traf.Senc.ReadButNotParsed() {
				if err := traf.Senc.ParseReadBox(16, traf.Saiz); err != nil {
					t.Fatal(err)
				}
			}
			for si, iv := range traf.Senc.IVs {
				protected := uint64(traf.Trun.Samples[si].Size)
				if si < len(traf.Senc.SubSamples) && len(traf.Senc.SubSamples[si]) > 0 {
					protected = 0
					for _, ss := range traf.Senc.SubSamples[si] {
						protected += uint64(ss.BytesOfProtectedData)
					}
				}
				out = append(out, counterRange{
					hi:     binary.BigEndian.Uint64(iv),
					lo:     binary.BigEndian.Uint64(iv[8:]),
					blocks: (protected + 15) / 16,
					where:  fmt.Sprintf("run %d segment %d track %d fragment %d sample %d", run, seg.MSN, tr, fi, si),
				})
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("segment %d track %d: no sample IVs", seg.MSN, tr)
	}
	return out
}
