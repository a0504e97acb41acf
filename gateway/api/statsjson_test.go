package api

import (
	"encoding/json"
	"testing"

	"github.com/valyala/fasthttp"

	"streamhive/actors/config"
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

func fullStats() *config.StreamStats {
	ago, active := int64(40), 1
	return &config.StreamStats{
		Alive: true, Status: "running", Lifetime: 90_000, OpenedAt: 1767323045000, Bitrate: 1850,
		LastDTSAgo: &ago, TSDelay: &ago, LastDTSAt: 1767323134960, InputBytes: 123456,
		MediaInfo: &config.MediaInfo{Tracks: []config.TrackInfo{
			{TrackID: "v1", Content: "video", Codec: "hevc", Width: 1280, Height: 720, FPS: 25, Bitrate: 1700},
			{TrackID: "a1", Content: "audio", Codec: "aac", SampleRate: 48000, Channels: 2, Bitrate: 128},
		}},
		ActiveInput: &active, InputSwitches: 2, LastSwitchReason: "input 0 failed",
		Inputs: []config.InputStats{
			{Status: "error", Bytes: 100, Frames: 3, Errors: 4, Restarts: 1, LastError: "eof",
				TS: &config.TSInputStats{Packets: 10, SyncErrors: 1, TransportErrors: 2, CCErrors: 3, LostPackets: 4,
					Scrambled: 5, PATErrors: 6, PMTErrors: 7, BrokenPayloads: 8}},
			{Active: true, Status: "running", Bytes: 123356, Frames: 2250, Bitrate: 1900,
				SRT: &config.SRTInputStats{RTT: 1.5, PacketsReceived: 900, PacketsLost: 5, PacketsRetransmitted: 4, PacketsDropped: 1}},
		},
		Pushes: []*config.PushStats{
			{ID: "p1", OpenedAt: 1767323046000, Status: "retry", Bytes: 5000, Errors: 2, Reconnects: 1, Retries: 1, LastError: "refused"},
			nil,
		},
		RunningTranscoder: true, TranscoderOverloaded: true,
		Transcoder: &config.TranscoderStats{
			Status: "running", Device: "nvenc", Fallback: true, Restarts: 1, FramesIn: 2250, Dropped: 3,
			DecErrCount: 1, Speed: 0.95, Encoders: 2,
			Renditions: []config.TranscoderRenditionStats{
				{TrackID: "v1", Width: 1280, Height: 720, Bitrate: 2_000_000, FramesOut: 2249, Keyframes: 45, Speed: 1.9},
				{TrackID: "v2", FramesOut: 2249, Keyframes: 45, Speed: 2.5},
			},
		},
		DVREnabled: true,
		DVRInfo: &config.DVRInfo{
			From: 1767323045, Depth: 90, Duration: 85, Bytes: 9_000_000, DiskSize: 1 << 40,
			Ranges:     []config.DVRRange{{From: 1767323045, Duration: 40}, {From: 1767323090, Duration: 45}},
			DiskStatus: "full",
		},
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
	`"ranges":[{"from":1767323045,"duration":40},{"from":1767323090,"duration":45}],"disk_status":"full"}}`

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
