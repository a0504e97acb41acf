package chaos

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/asticode/go-astits"
)

// segment muxes n video access units (one PES each) 40 ms apart from pts0
// (90 kHz) into MPEG-TS, with an audio stream in between.
func segment(t *testing.T, pts0 int64, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	m := astits.NewMuxer(context.Background(), &buf)
	for _, es := range []astits.PMTElementaryStream{
		{ElementaryPID: 0x101, StreamType: astits.StreamTypeADTS},
		{ElementaryPID: 0x100, StreamType: astits.StreamTypeH264Video},
	} {
		if err := m.AddElementaryStream(es); err != nil {
			t.Fatal(err)
		}
	}
	m.SetPCRPID(0x100)
	for i := range n {
		pts := pts0 + int64(i)*3600
		for _, pid := range []uint16{0x100, 0x101} {
			_, err := m.WriteData(&astits.MuxerData{PID: pid, PES: &astits.PESData{
				Header: &astits.PESHeader{StreamID: 0xe0, OptionalHeader: &astits.PESOptionalHeader{
					MarkerBits: 2, PTSDTSIndicator: astits.PTSDTSIndicatorOnlyPTS, PTS: &astits.ClockReference{Base: pts},
				}},
				Data: []byte{0, 0, 0, 1, 9, 0xf0, byte(i)},
			}})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	return buf.Bytes()
}

func TestVideoTimes(t *testing.T) {
	got, err := VideoTimes(segment(t, 90000*10, 25))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 25 {
		t.Fatalf("%d video times, want 25", len(got))
	}
	for i, d := range got {
		if want := 10*time.Second + time.Duration(i)*40*time.Millisecond; d != want {
			t.Errorf("frame %d: %v, want %v", i, d, want)
		}
	}
	if _, err := VideoTimes([]byte("not a transport stream")); err == nil {
		t.Error("garbage: no error")
	}
}
