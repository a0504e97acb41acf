package stream

import (
	"encoding/json"
	"errors"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/actors/config"
	"streamhive/actors/push"
	"streamhive/media"
	"streamhive/media/transcode"
)

func TestStateOf(t *testing.T) {
	in := func(states ...string) []InputStatus {
		out := make([]InputStatus, len(states))
		for i, s := range states {
			out[i].State = s
		}
		return out
	}
	tests := []struct {
		name   string
		active int
		inputs []InputStatus
		want   string
	}{
		{"no inputs waits for a publisher", -1, nil, StateWaiting},
		{"one feeds", 1, in(InputError, InputRunning), StateRunning},
		{"one waiting", -1, in(InputError, InputWaiting), StateWaiting},
		{"all failed", -1, in(InputError, InputError), StateError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stateOf(tt.active, tt.inputs); got != tt.want {
				t.Errorf("stateOf = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStatusStats(t *testing.T) {
	started := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	counters := new(media.InputStats)
	counters.Bytes.Store(150)
	counters.Frames.Store(2)
	counters.Errors.Store(3)

	st := &Status{
		Name: "cam1", Started: started, State: StateRunning, Active: 1,
		Inputs: []InputStatus{
			{URL: "fake://", State: InputError, LastError: "input fake:// not supported yet", Failures: 1},
			{URL: "rtmp://a/b", State: InputRunning, Failures: 2, Restarts: 2, Stats: counters},
		},
	}
	active := 1
	want := &config.StreamStats{
		Alive: true, Status: "running", Lifetime: 90_000, OpenedAt: started.UnixMilli(),
		InputBytes: 150, ActiveInput: &active,
		Inputs: []config.InputStats{
			{Status: "error", Errors: 1, LastError: "input fake:// not supported yet"},
			{Active: true, Status: "running", Bytes: 150, Frames: 2, Errors: 5, Restarts: 2},
		},
	}
	if got := st.Stats(started.Add(90 * time.Second)); !reflect.DeepEqual(got, want) {
		t.Errorf("Stats =\n%+v\nwant\n%+v", got, want)
	}

	idle := &Status{Name: "cam2", Started: started, State: StateWaiting, Active: -1}
	if got := idle.Stats(started); got.Alive || got.ActiveInput != nil || got.Inputs != nil || got.Status != "waiting" {
		t.Errorf("idle Stats = %+v, want not alive, no active input, no inputs", got)
	}
}

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

func TestMediaInfo(t *testing.T) {
	tracks := []media.Track{
		{ID: 0, Codec: media.CodecH265, Width: 1280, Height: 720},
		{ID: 1, Codec: media.CodecAAC, SampleRate: 48000, Channels: 2},
		{ID: 2, Codec: media.CodecH264, Width: 320, Height: 180},
	}
	rates := []TrackRate{{FPS: 25, Bitrate: 900}, {Bitrate: 128}, {FPS: 12.5}}
	want := &config.MediaInfo{Tracks: []config.TrackInfo{
		{TrackID: "v1", Content: "video", Codec: "hevc", Width: 1280, Height: 720, FPS: 25, Bitrate: 900},
		{TrackID: "a1", Content: "audio", Codec: "aac", SampleRate: 48000, Channels: 2, Bitrate: 128},
		{TrackID: "v2", Content: "video", Codec: "h264", Width: 320, Height: 180, FPS: 12.5},
	}}
	if got := mediaInfo(tracks, rates); !reflect.DeepEqual(got, want) {
		t.Errorf("mediaInfo =\n%+v\nwant\n%+v", got, want)
	}
	if mediaInfo(nil, nil) != nil {
		t.Errorf("mediaInfo without tracks is not nil")
	}
}

// fullStatus is a Status with every part filled: inputs with MPEG-TS and
// SRT counters, tracks with their rates, a last frame, switches, a failed
// transcoder and two pushes (the second disabled).
func fullStatus(now time.Time) *Status {
	started := now.Add(-90 * time.Second)
	failed := new(media.InputStats)
	failed.Bytes.Store(100)
	failed.Frames.Store(3)
	failed.Errors.Store(2)
	ts := &failed.TS
	for i, c := range []*atomic.Uint64{&ts.Packets, &ts.SyncErrors, &ts.TransportErrors, &ts.CCErrors,
		&ts.LostPackets, &ts.Scrambled, &ts.PATErrors, &ts.PMTErrors, &ts.BrokenPayloads} {
		c.Store(uint64(10 + i))
	}
	live := new(media.InputStats)
	live.Bytes.Store(123356)
	live.Frames.Store(2250)
	srt := &live.SRT
	srt.Connected.Store(true)
	srt.RTTMicros.Store(1500)
	srt.PacketsReceived.Store(900)
	srt.PacketsLost.Store(5)
	srt.PacketsRetransmitted.Store(4)
	srt.PacketsDropped.Store(1)

	meter := new(Meter)
	meter.observe(&media.Frame{Track: 0, Data: [][]byte{make([]byte, 10)}}, now.Add(-40*time.Millisecond))

	tc := transcode.NewStats(2)
	tc.SetFallback(errors.New("no NVENC device"))
	tc.SetFailed(errors.New("encoder broke"))
	tc.FramesIn.Store(2250)
	tc.Dropped.Store(3)
	tc.DecodeErrors.Store(1)
	tc.Rendition(0).FramesOut.Store(2249)
	tc.Rendition(0).Keyframes.Store(45)
	tc.Rendition(1).FramesOut.Store(2248)
	spec := config.Transcoder{Video: []config.TranscoderVideo{
		{Bitrate: 2_000_000, Width: 1280, Height: 720}, {Bitrate: 300_000},
	}}

	p := push.NewStats("p1", "rtmp://a/live/cam1")
	p.Opened.Store(started.Add(time.Second).UnixMilli())
	p.Bytes.Store(5000)
	p.Errors.Store(2)
	p.Reconnects.Store(1)
	p.Retries.Store(1)

	return &Status{
		Name: "cam1", Started: started, State: StateRunning, Active: 1,
		Inputs: []InputStatus{
			{URL: "udp://239.0.0.1:1234", State: InputError, LastError: "eof", Failures: 2, Restarts: 1, Stats: failed},
			{URL: "srt://10.0.0.2:9000", State: InputRunning, Bitrate: 1900, Stats: live},
		},
		Tracks: []media.Track{
			{ID: 0, Codec: media.CodecH265, Width: 1280, Height: 720},
			{ID: 1, Codec: media.CodecAAC, SampleRate: 48000, Channels: 2},
		},
		TrackRates:   []TrackRate{{FPS: 25, Bitrate: 1700}, {Bitrate: 128}},
		Bitrate:      1850,
		Meter:        meter,
		Switches:     2,
		SwitchReason: "input 0 failed",
		Transcoder:   &transcodeStatus{spec: spec, stats: tc},
		Pushes:       []*push.Stats{p, nil},
	}
}

// TestStatusStatsJSON pins what a full Status shows through the Control
// API, byte for byte.
func TestStatusStatsJSON(t *testing.T) {
	now := time.UnixMilli(1767323135000)
	st := fullStatus(now).Stats(now)
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"alive":true,"status":"running","lifetime":90000,"opened_at":1767323045000,"bitrate":1850,` +
		`"last_dts_ago":40,"ts_delay":40,"last_dts_at":1767323134960,"input_bytes":123456,` +
		`"media_info":{"tracks":[{"track_id":"v1","content":"video","codec":"hevc","width":1280,"height":720,"fps":25,"bitrate":1700},` +
		`{"track_id":"a1","content":"audio","codec":"aac","sample_rate":48000,"channels":2,"bitrate":128}]},` +
		`"active_input":1,"input_switches":2,"last_switch_reason":"input 0 failed",` +
		`"inputs":[{"status":"error","bytes":100,"frames":3,"errors":4,"restarts":1,"last_error":"eof",` +
		`"ts":{"packets":10,"sync_errors":11,"transport_errors":12,"cc_errors":13,"lost_packets":14,"scrambled":15,"pat_errors":16,"pmt_errors":17,"broken_payloads":18}},` +
		`{"active":true,"status":"running","bytes":123356,"frames":2250,"bitrate":1900,` +
		`"srt":{"rtt":1.5,"packets_received":900,"packets_lost":5,"packets_retransmitted":4,"packets_dropped":1}}],` +
		`"coder_error":true,` +
		`"transcoder":{"status":"error","error":"encoder broke","fallback":true,"restarts":1,"frames_in":2250,"dropped_frames":3,"dec_err_count":1,"speed":0,"encoders":2,` +
		`"renditions":[{"track_id":"v1","width":1280,"height":720,"bitrate":2000000,"frames_out":2249,"keyframes":45,"speed":0},` +
		`{"track_id":"v2","bitrate":300000,"frames_out":2248,"keyframes":0,"speed":0}]}}`
	if string(b) != want {
		t.Errorf("stats JSON\n got %s\nwant %s", b, want)
	}
	pushes, err := json.Marshal(st.Pushes)
	if err != nil {
		t.Fatal(err)
	}
	const wantPushes = `[{"id":"p1","opened_at":1767323046000,"status":"running","bytes":5000,"errors":2,"reconnects":1,"retries":1},null]`
	if string(pushes) != wantPushes {
		t.Errorf("push stats JSON\n got %s\nwant %s", pushes, wantPushes)
	}
}
