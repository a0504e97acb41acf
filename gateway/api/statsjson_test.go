package api

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media"
	"streamhive/media/stats"
	"streamhive/media/stats/statstest"
)

// The JSON of a stream whose stats carry every field, pinned byte for
// byte: field names, units, order and omission rules of stream_stats,
// input_stats, media_info, dvr_info, the transcoder's counters and
// pushes[i].stats.

const fullStatsConf = `
stream cam1 {
  input udp://239.0.0.1:1234;
  input srt://10.0.0.2:9000;
  push rtmp://a/live/cam1;
  push srt://b:9000 disabled;
}
`

// fullStats is a report with every field set, its durations and speeds
// off the API's units so that the conversion shows.
func fullStats() *stats.Stream {
	return &stats.Stream{
		Alive: true, State: "running", Started: time.UnixMilli(1767323045000),
		Lifetime: 90*time.Second + 400*time.Microsecond, Bitrate: 1_850_999,
		LastFrame: time.UnixMilli(1767323134960), LastFrameAgo: 40*time.Millisecond + 500*time.Microsecond,
		Tracks: []stats.Track{
			{Codec: media.CodecH265, Width: 1280, Height: 720, FPS: 25, Bitrate: 1_700_000},
			{Codec: media.CodecAAC, SampleRate: 48000, Channels: 2, Bitrate: 128_000},
		},
		Active: 1, Switches: 2, SwitchReason: "input 0 failed",
		Inputs: []stats.Input{
			{
				State: "error", Bytes: 100, Frames: 3, Failures: 1, Dropped: 3, Restarts: 1, LastError: "eof",
				TS: &stats.TS{
					Packets: 10, SyncErrors: 1, TransportErrors: 2, CCErrors: 3, LostPackets: 4,
					Scrambled: 5, PATErrors: 6, PMTErrors: 7, BrokenPayloads: 8,
				},
			},
			{
				State: "running", Bytes: 123356, Frames: 2250, Bitrate: 1_900_000,
				SRT: &stats.SRT{
					RTT: 1500 * time.Microsecond, PacketsReceived: 900, PacketsLost: 5,
					PacketsRetransmitted: 4, PacketsDropped: 1,
				},
			},
		},
		Pushes: []*stats.Push{
			{
				ID: "p1", Opened: time.UnixMilli(1767323046000), State: "retry", Bytes: 5000, Errors: 2,
				Reconnects: 1, Retries: 1, LastError: "refused",
			},
			nil,
		},
		Transcoder: &stats.Transcoder{
			State: stats.TranscoderRunning, Encoder: "h264_nvenc", Fallback: true, Restarts: 1, FramesIn: 2250,
			Dropped: 3, DecodeErrors: 1, Speed: 0.9512, Encoders: 2,
			Renditions: []stats.Rendition{
				{Width: 1280, Height: 720, Bitrate: 2_000_000, FramesOut: 2249, Keyframes: 45, Speed: 1.8951},
				{FramesOut: 2249, Keyframes: 45, Speed: 2.4963},
			},
		},
		DVR: &stats.DVR{
			From: time.Unix(1767323045, 0), Depth: 90700 * time.Millisecond, Duration: 85200 * time.Millisecond,
			Bytes: 9_000_000, DiskSize: 1 << 40, Disk: "full",
			Ranges: []stats.DVRRange{
				{From: time.Unix(1767323045, 0), Duration: 40900 * time.Millisecond},
				{From: time.Unix(1767323090, 0), Duration: 45 * time.Second},
			},
		},
		Clients: 7,
	}
}

// fullStatsJSON is the "stats" member of cam1's item.
const fullStatsJSON = `{"alive":true,"status":"running","lifetime":90000,"opened_at":1767323045000,"bitrate":1850,` +
	`"last_dts_ago":40,"ts_delay":40,"last_dts_at":1767323134960,"input_bytes":123456,` +
	`"media_info":{"tracks":[{"track_id":"v1","content":"video","codec":"hevc","width":1280,"height":720,"fps":25,"bitrate":1700},` +
	`{"track_id":"a1","content":"audio","codec":"aac","sample_rate":48000,"channels":2,"bitrate":128}]},` +
	`"active_input":1,"input_switches":2,"last_switch_reason":"input 0 failed",` +
	`"inputs":[{"status":"error","bytes":100,"frames":3,"errors":4,"restarts":1,"last_error":"eof",` +
	`"ts":{"packets":10,"sync_errors":1,"transport_errors":2,"cc_errors":3,"lost_packets":4,"scrambled":5,"pat_errors":6,"pmt_errors":7,"broken_payloads":8}},` +
	`{"active":true,"status":"running","bytes":123356,"frames":2250,"bitrate":1900,` +
	`"srt":{"rtt":1.5,"packets_received":900,"packets_lost":5,"packets_retransmitted":4,"packets_dropped":1}}],` +
	`"running_transcoder":true,"transcoder_overloaded":true,` +
	`"transcoder":{"status":"running","device":"nvenc","fallback":true,"restarts":1,"frames_in":2250,"dropped_frames":3,"dec_err_count":1,"speed":0.95,"encoders":2,` +
	`"renditions":[{"track_id":"v1","width":1280,"height":720,"bitrate":2000000,"frames_out":2249,"keyframes":45,"speed":1.9},` +
	`{"track_id":"v2","frames_out":2249,"keyframes":45,"speed":2.5}]},` +
	`"dvr_enabled":true,"dvr_info":{"from":1767323045,"depth":90,"duration":85,"bytes":9000000,"disk_size":1099511627776,` +
	`"ranges":[{"from":1767323045,"duration":40},{"from":1767323090,"duration":45}],"disk_status":"full"},"online_clients":7}`

// fullItemJSON is cam1's item: its config, pushes[i].stats, then stats.
const fullItemJSON = `{"name":"cam1","inputs":[{"url":"udp://239.0.0.1:1234"},{"url":"srt://10.0.0.2:9000"}],` +
	`"pushes":[{"url":"rtmp://a/live/cam1","stats":{"id":"p1","opened_at":1767323046000,"status":"retry","bytes":5000,"errors":2,"reconnects":1,"retries":1,"last_error":"refused"}},` +
	`{"url":"srt://b:9000","disabled":true}],"stats":` + fullStatsJSON + `}`

func TestFullStatsJSON(t *testing.T) {
	h := newHarness(t, testConfig(t, fullStatsConf))
	h.ctl.SetStats("cam1", fullStats())

	r := h.get("streams/cam1")
	mustStatus(t, r, fasthttp.StatusOK)
	if string(r.body) != fullItemJSON {
		t.Errorf("GET streams/cam1\n got %s\nwant %s", r.body, fullItemJSON)
	}

	r = h.get("streams?name=cam1")
	mustStatus(t, r, fasthttp.StatusOK)
	var list struct {
		Streams []json.RawMessage `json:"streams"`
	}
	r.json(t, &list)
	if len(list.Streams) != 1 || string(list.Streams[0]) != fullItemJSON {
		t.Errorf("GET streams\n got %s\nwant [%s]", r.body, fullItemJSON)
	}

	const sel = `{"pushes":[{"url":"rtmp://a/live/cam1","stats":{"id":"p1","opened_at":1767323046000,"status":"retry","bytes":5000,"errors":2,"reconnects":1,"retries":1,"last_error":"refused"}},` +
		`{"url":"srt://b:9000","disabled":true}],"stats":{"alive":true,"dvr_info":{"disk_status":"full"},"transcoder":{"speed":0.95}}}`
	r = h.get("streams?name=cam1&select=pushes,stats.alive,stats.dvr_info.disk_status,stats.transcoder.speed")
	mustStatus(t, r, fasthttp.StatusOK)
	list.Streams = nil
	r.json(t, &list)
	if len(list.Streams) != 1 || string(list.Streams[0]) != sel {
		t.Errorf("GET streams?select=\n got %s\nwant [%s]", r.body, sel)
	}

	const selPushes = `{"name":"cam1","pushes":[{"url":"rtmp://a/live/cam1","stats":{"bytes":5000}},{"url":"srt://b:9000"}]}`
	list.Streams = nil
	h.get("streams?name=cam1&select=name,pushes.url,pushes.stats.bytes").json(t, &list)
	if len(list.Streams) != 1 || string(list.Streams[0]) != selPushes {
		t.Errorf("GET streams?select=pushes.stats\n got %s\nwant [%s]", list.Streams, selPushes)
	}

	// Filters and sorts read the same fields.
	for _, q := range []string{"stats.transcoder.status=running", "stats.dvr_info.disk_status=full", "stats.bitrate_gt=1000", "sort=-stats.lifetime"} {
		list.Streams = nil
		h.get("streams?"+q).json(t, &list)
		if len(list.Streams) != 1 {
			t.Errorf("GET streams?%s: %d streams, want cam1", q, len(list.Streams))
		}
	}
	for _, q := range []string{"stats.transcoder.status=error", "stats.dvr_info.disk_status=ok", "stats.bitrate_gt=2000"} {
		list.Streams = nil
		h.get("streams?"+q).json(t, &list)
		if len(list.Streams) != 0 {
			t.Errorf("GET streams?%s: %d streams, want none", q, len(list.Streams))
		}
	}
}

// TestStreamReportJSON writes the report that actors/stream's
// TestStatusStatsFull reads from its full Status: the JSON is what the API
// showed of that Status before the stats left actors/config.
func TestStreamReportJSON(t *testing.T) {
	now := time.UnixMilli(1767323135000)
	report := statstest.Full(now)
	st := streamStatsOf(report)
	b, err := appendStats(nil, st)
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
		`{"track_id":"v2","bitrate":300000,"frames_out":2248,"keyframes":0,"speed":0}]},"online_clients":0,` +
		`"packaging":{"frames":2240,"queue_overflowed":4,"segmenter_dropped":5,"mux_errors":1}}`
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

// TestStreamStatsEdges: a last frame stamped after the report reads as 0
// ms ago; an idle report (nothing set) is alive false and lifetime 0 only.
func TestStreamStatsEdges(t *testing.T) {
	st := streamStatsOf(&stats.Stream{LastFrame: time.UnixMilli(5), LastFrameAgo: -3 * time.Millisecond})
	if st.LastDTSAgo == nil || *st.LastDTSAgo != 0 || *st.TSDelay != 0 || st.LastDTSAt != 5 {
		t.Errorf("last frame in the future: ago %v, at %d; want 0, 5", st.LastDTSAgo, st.LastDTSAt)
	}
	b, err := appendStats(nil, streamStatsOf(&stats.Stream{}))
	if err != nil || string(b) != `{"alive":false,"lifetime":0,"online_clients":0}` {
		t.Errorf("idle stats %s (%v)", b, err)
	}
	if streamStatsOf(nil) != nil {
		t.Error("no report maps to stats")
	}
}
