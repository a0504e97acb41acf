package meter

import (
	"testing"
	"time"

	"streamhive/media"
)

func TestRate(t *testing.T) {
	sec := int64(time.Second)
	tests := []struct {
		name    string
		samples [][2]int64 // at, value
		want    float64
	}{
		{"empty", nil, 0},
		{"one sample", [][2]int64{{0, 100}}, 0},
		{"steady", [][2]int64{{0, 0}, {sec, 100}, {2 * sec, 200}}, 100},
		{"window slides", [][2]int64{{0, 0}, {sec, 1000}, {2 * sec, 1100}, {3 * sec, 1200}, {4 * sec, 1300}, {5 * sec, 1400}}, 100},
		{"axis goes back: start over", [][2]int64{{0, 0}, {10 * sec, 1000}, {sec, 1010}, {2 * sec, 1030}}, 20},
		{"counter shrinks: start over", [][2]int64{{0, 500}, {sec, 600}, {2 * sec, 10}, {3 * sec, 60}}, 50},
		{"no progress on the axis keeps one sample", [][2]int64{{0, 0}, {sec, 10}, {sec, 20}}, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r rate
			for _, s := range tt.samples {
				r.add(s[0], uint64(s[1]))
			}
			if got := r.perSecond(); got != tt.want {
				t.Errorf("perSecond = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMeterLastFrame(t *testing.T) {
	var none *Meter
	m := new(Meter)
	if !none.LastFrame().IsZero() || !m.LastFrame().IsZero() {
		t.Fatalf("LastFrame before any frame is not zero")
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	m.Observe(&media.Frame{Track: MaxTracks, Data: [][]byte{{1}}}, at) // past the per-track counters
	if !m.LastFrame().Equal(at) {
		t.Errorf("LastFrame = %v, want %v", m.LastFrame(), at)
	}
}

// TestRatesSample feeds one second of 25 fps video of 1000-byte frames per
// sampling, with one input receiving 2000 bytes a second.
func TestRatesSample(t *testing.T) {
	var (
		r     Rates
		m     Meter
		in    media.InputStats
		hub   uint64
		dts   time.Duration
		start = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		got   Measured
	)
	for s := range 4 {
		for range 25 {
			m.Observe(&media.Frame{Track: 0, DTS: dts, Data: [][]byte{make([]byte, 1000)}}, start)
			hub += 1000
			dts += 40 * time.Millisecond
		}
		in.Bytes.Add(2000)
		got = r.Sample(start.Add(time.Duration(s)*time.Second), hub, &m, []*media.InputStats{&in, nil}, true)
	}
	want := Measured{Bitrate: 200, Inputs: []int{16, 0}}
	want.Tracks[0] = TrackRate{FPS: 25, Bitrate: 200}
	if !got.Equal(want) {
		t.Errorf("Sample = %+v, want %+v", got, want)
	}

	idle := r.Sample(start.Add(4*time.Second), hub, &m, []*media.InputStats{&in, nil}, false)
	if idle.Tracks != ([MaxTracks]TrackRate{}) {
		t.Errorf("without an active input: %+v, want no track rates", idle.Tracks)
	}
	if idle.Bitrate == 0 || idle.Inputs == nil {
		t.Errorf("the hub's and the input's rates fell to 0 at once (%+v); want them averaged over the window", idle)
	}
	for s := 5; s < 9; s++ {
		idle = r.Sample(start.Add(time.Duration(s)*time.Second), hub, &m, []*media.InputStats{&in, nil}, false)
	}
	if !idle.Equal(Measured{}) {
		t.Errorf("after a window without traffic: %+v, want every rate 0", idle)
	}
}
