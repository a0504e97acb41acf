package hls

import (
	"errors"
	"testing"

	"streamhive/media/segment"
)

func TestNamesRoundTrip(t *testing.T) {
	n := DefaultNames{}
	seg := &segment.Segment{MSN: 42}
	init := &segment.Init{Epoch: 3}
	for _, tc := range []struct {
		name string
		want Ref
	}{
		{n.Segment(seg, TS, 0), Ref{Format: TS, MSN: 42, Part: -1}},
		{n.Part(seg, 2, TS, 0), Ref{Format: TS, MSN: 42, Part: 2}},
		{n.Segment(seg, FMP4, 1), Ref{Format: FMP4, MSN: 42, Part: -1, Track: 1}},
		{n.Part(seg, 0, FMP4, 1), Ref{Format: FMP4, MSN: 42, Part: 0, Track: 1}},
		{n.Init(init, 1), Ref{Format: FMP4, Init: true, Epoch: 3, Track: 1, Part: -1}},
	} {
		got, err := ParseName(tc.name)
		if err != nil || got != tc.want {
			t.Errorf("ParseName(%q) = %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
}

func TestParseNameRejects(t *testing.T) {
	for _, name := range []string{
		"", "seg-.ts", "seg-01.ts", "seg--1.ts", "seg-1.mp4", "seg-1.part-.ts", "seg-1.part-x.ts",
		"seg-1.t.m4s", "seg-1.m4s", "init-1.mp4", "init-a.t1.mp4", "index.m3u8", "seg-1.part-01.ts",
		"seg-18446744073709551616.ts",
	} {
		if r, err := ParseName(name); !errors.Is(err, ErrBadName) {
			t.Errorf("ParseName(%q) = %+v, %v; want ErrBadName", name, r, err)
		}
	}
}

func FuzzParseName(f *testing.F) {
	n := DefaultNames{}
	seg := &segment.Segment{MSN: 7}
	f.Add(n.Segment(seg, TS, 0))
	f.Add(n.Part(seg, 1, FMP4, 1))
	f.Add(n.Init(&segment.Init{Epoch: 2}, 0))
	f.Fuzz(func(t *testing.T, name string) {
		r, err := ParseName(name)
		if err != nil {
			return
		}
		// A name that parses is one DefaultNames writes.
		var back string
		switch {
		case r.Init:
			back = n.Init(&segment.Init{Epoch: r.Epoch}, r.Track)
		case r.Part >= 0:
			back = n.Part(&segment.Segment{MSN: r.MSN}, r.Part, r.Format, r.Track)
		default:
			back = n.Segment(&segment.Segment{MSN: r.MSN}, r.Format, r.Track)
		}
		if back != name {
			t.Errorf("ParseName(%q) = %+v, which names %q", name, r, back)
		}
	})
}
