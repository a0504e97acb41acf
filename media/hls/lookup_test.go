package hls

import (
	"testing"

	"streamhive/media/segment"
)

func TestRefIn(t *testing.T) {
	w := testWindow()
	w.Init.CMAF = [][]byte{[]byte("init1.v"), []byte("init1.a")}
	w.Segments[0].Init.CMAF = [][]byte{[]byte("init0.v"), nil}
	w.Segments[1].Parts[1].WithTS([]byte("p11"))
	w.Segments[1].Parts[1].CMAF = [][]byte{[]byte("p11.v"), nil}
	w.Partial.Parts[0].WithTS([]byte("p140"))
	for _, tc := range []struct {
		ref  Ref
		want string
	}{
		{Ref{Format: TS, MSN: 10, Part: -1}, string(w.Segments[0].MPEGTS())},
		{Ref{Format: FMP4, MSN: 11, Part: -1, Track: 1}, string(w.Segments[1].CMAF[1])},
		{Ref{Format: TS, MSN: 11, Part: 1}, "p11"},
		{Ref{Format: FMP4, MSN: 11, Part: 1, Track: 0}, "p11.v"},
		{Ref{Format: FMP4, MSN: 11, Part: 1, Track: 1}, ""}, // no sample of the track
		{Ref{Format: FMP4, MSN: 11, Part: 1, Track: 2}, ""}, // no such track
		{Ref{Format: TS, MSN: 14, Part: 0}, "p140"},         // in progress
		{Ref{Format: TS, MSN: 14, Part: -1}, ""},            // not finished
		{Ref{Format: TS, MSN: 9, Part: -1}, ""},             // left the window
		{Ref{Format: FMP4, Init: true, Epoch: 1, Track: 1}, "init1.a"},
		{Ref{Format: FMP4, Init: true, Epoch: 0, Track: 0}, "init0.v"}, // an older epoch still in the window
		{Ref{Format: FMP4, Init: true, Epoch: 0, Track: 1}, ""},
		{Ref{Format: FMP4, Init: true, Epoch: 2, Track: 0}, ""},
	} {
		got := tc.ref.In(w)
		if string(got) != tc.want || (tc.want == "") != (got == nil) {
			t.Errorf("%+v.In = %.20q, want %.20q", tc.ref, got, tc.want)
		}
	}
	if (Ref{Format: TS, MSN: 10, Part: -1}).In(&segment.Window{}) != nil {
		t.Error("empty window: want nil")
	}
}
