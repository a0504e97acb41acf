package play

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"streamhive/gateway/live"
	"streamhive/media"
	"streamhive/media/stats"
)

// statsStream is a fakeStream that has published stats.
type statsStream struct {
	*fakeStream
	st *stats.Stream // nil: none yet
}

func (s statsStream) Stats() (stats.Stream, bool) {
	if s.st == nil {
		return stats.Stream{}, false
	}
	return *s.st, true
}

type statsStreams map[string]statsStream

func (m statsStreams) Locate(name string) (live.Location, bool) {
	s, ok := m[name]
	return live.Location{Stream: s}, ok
}

// TestInfoJSON: media_info.json and info.json answer as streaming.yaml's
// media_info and public_stream_config say: track ids v1/a1, bitrate in
// kbit/s, last_dts_at in Unix ms; 503 before the stream has tracks.
func TestInfoJSON(t *testing.T) {
	last := time.UnixMilli(1_700_000_000_123)
	running := &stats.Stream{State: "running", LastFrame: last, Tracks: []stats.Track{
		{Codec: media.CodecH264, Width: 320, Height: 180, FPS: 25, Bitrate: 800_000},
		{Codec: media.CodecAAC, SampleRate: 44100, Channels: 2, Bitrate: 128_000},
	}}
	base := serve(t, New(Options{Streams: statsStreams{
		"cam":  {fakeStream: &fakeStream{}, st: running},
		"idle": {fakeStream: &fakeStream{}},
	}}))
	get := func(path string) (int, string, map[string]any) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("GET %s: %d, body is not JSON: %q", path, resp.StatusCode, b)
		}
		return resp.StatusCode, resp.Header.Get("Content-Type"), m
	}

	status, ctype, mi := get("/cam/media_info.json")
	tracks, _ := mi["tracks"].([]any)
	if status != 200 || ctype != typeJSON || mi["flow_type"] != "stream" || len(tracks) != 2 {
		t.Fatalf("media_info.json: %d %q %v", status, ctype, mi)
	}
	v, a := tracks[0].(map[string]any), tracks[1].(map[string]any)
	if v["track_id"] != "v1" || v["content"] != "video" || v["codec"] != "h264" || v["width"] != 320.0 ||
		v["height"] != 180.0 || v["fps"] != 25.0 || v["bitrate"] != 800.0 {
		t.Errorf("video track %v", v)
	}
	if a["track_id"] != "a1" || a["content"] != "audio" || a["codec"] != "aac" || a["sample_rate"] != 44100.0 ||
		a["channels"] != 2.0 || a["bitrate"] != 128.0 {
		t.Errorf("audio track %v", a)
	}
	if status, _, m := get("/idle/media_info.json"); status != 503 || m["errors"] == nil {
		t.Errorf("media_info.json of a stream with no tracks: %d %v", status, m)
	}

	status, ctype, info := get("/cam/info.json")
	st, _ := info["stats"].(map[string]any)
	if status != 200 || ctype != typeJSON || info["name"] != "cam" || st["status"] != "running" ||
		st["last_dts_at"] != 1_700_000_000_123.0 || st["media_info"] == nil {
		t.Errorf("info.json: %d %q %v", status, ctype, info)
	}
	if status, _, m := get("/idle/info.json"); status != 200 || m["name"] != "idle" || m["stats"] != nil {
		t.Errorf("info.json of a stream with no status: %d %v", status, m)
	}
	if status, _, _ := get("/nope/info.json"); status != 404 {
		t.Errorf("info.json of no stream: %d", status)
	}
}
