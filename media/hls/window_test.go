package hls

import (
	"time"

	"streamhive/media"
	"streamhive/media/segment"
)

var (
	testT0     = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	testTracks = []media.Track{
		{ID: 0, Codec: media.CodecH264, SPS: []byte{0x67, 0x4d, 0x40, 0x1f}, PPS: []byte{0x68}, Width: 640, Height: 360},
		{ID: 1, Codec: media.CodecAAC, AudioConfig: []byte{0x12, 0x10}, SampleRate: 44100, Channels: 2},
	}
)

// testWindow builds a window by hand: segments MSN 10..13 of 2 s (13 is
// 2.4 s) with parts of 1 s, a codec change before MSN 12, and a segment in
// progress with one part.
func testWindow() *segment.Window {
	init0 := &segment.Init{Epoch: 0, Tracks: testTracks, Timescales: []uint32{90000, 44100}}
	init1 := &segment.Init{Epoch: 1, Tracks: testTracks, Timescales: []uint32{90000, 44100}}
	w := &segment.Window{
		Tracks: testTracks, Init: init1,
		TargetDuration: 2 * time.Second, PartTarget: time.Second,
	}
	dts := 20 * time.Second
	mk := func(msn uint64, init *segment.Init, durs ...time.Duration) *segment.Segment {
		s := &segment.Segment{
			MSN: msn, Init: init, DTS: dts, ProgramDateTime: testT0.Add(dts),
			DiscontinuitySeq: 3, CMAF: [][]byte{make([]byte, 150000), make([]byte, 12000)},
		}
		audio := uint64(dts) * 44100 / uint64(time.Second)
		for i, d := range durs {
			n := uint64(d) * 44100 / uint64(time.Second) / 1024 * 1024
			s.Parts = append(s.Parts, &segment.Part{
				Index: i, DTS: dts, Duration: d, Independent: i == 0,
				Spans: []segment.Span{
					{Timescale: 90000, Base: uint64(dts) * 9 / 100000, Length: uint64(d) * 9 / 100000, Samples: 25},
					{Timescale: 44100, Base: audio, Length: n, Samples: int(n / 1024)},
				},
			})
			s.Duration += d
			dts += d
			audio += n
		}
		s.Spans = []segment.Span{
			{Timescale: 90000, Base: s.Parts[0].Spans[0].Base, Length: uint64(s.Duration) * 9 / 100000, Samples: 50},
			{Timescale: 44100, Base: s.Parts[0].Spans[1].Base, Length: audio - s.Parts[0].Spans[1].Base, Samples: 86},
		}
		return s.WithTS(make([]byte, 188*1000))
	}
	w.Segments = []*segment.Segment{
		mk(10, init0, time.Second, time.Second),
		mk(11, init0, time.Second, time.Second),
		mk(12, init1, time.Second, time.Second),
		mk(13, init1, time.Second, time.Second, 400*time.Millisecond),
	}
	w.Segments[2].Discontinuity = true
	w.Segments[2].DiscontinuitySeq = 4
	w.Segments[3].DiscontinuitySeq = 4
	p := mk(14, init1, time.Second)
	p.DiscontinuitySeq, p.CMAF = 4, nil
	p.WithTS(nil)
	w.Partial = p
	return w
}
