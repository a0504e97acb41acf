package api

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"streamhive/actors/sessions"
	"streamhive/media/stats"
)

const sessionsConf = `
stream cam1 { input publish://; }
stream cam2 { input publish://; }
`

func testSessions() []sessions.Info {
	t0 := time.UnixMilli(1767323000000)
	return []sessions.Info{
		{
			ID: "61942414-8c15-4809-8bb6-adf1ae846027", Stream: "cam1", Proto: "hls", IP: netip.MustParseAddr("10.0.0.1"),
			Token: "tok1", Query: "token=tok1", UserAgent: "hls.js", Referer: "http://portal/", UserID: "u1",
			MaxSessions: 3, SoftLimitation: true, Country: "US", OpenedAt: t0, LastActive: t0.Add(time.Minute), Bytes: 1000,
		},
		{
			ID: "71942414-8c15-4809-8bb6-adf1ae846027", Stream: "cam2", Proto: "rtmp", IP: netip.MustParseAddr("10.0.0.2"),
			UserID: "u2", OpenedAt: t0.Add(time.Second), LastActive: t0.Add(2 * time.Second), Bytes: 5,
		},
		{
			ID: "81942414-8c15-4809-8bb6-adf1ae846027", Stream: "cam1", Proto: "mpegts", IP: netip.MustParseAddr("::ffff:10.0.0.3"),
			DVR: true, OpenedAt: t0.Add(2 * time.Second), LastActive: t0.Add(3 * time.Second),
		},
	}
}

type sessionsBody struct {
	EstimatedCount int              `json:"estimated_count"`
	Next           *string          `json:"next"`
	Sessions       []map[string]any `json:"sessions"`
}

func ids(items []map[string]any) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i], _ = it["id"].(string)
		out[i] = out[i][:1]
	}
	return out
}

func TestSessionsList(t *testing.T) {
	h := newHarness(t, testConfig(t, sessionsConf))
	h.ctl.SetSessions(testSessions())
	r := h.get("sessions")
	mustStatus(t, r, 200)
	env := decodeObject(t, r.body)
	envProps := schemaProps(t, "collection_response")
	envProps["sessions"] = "array"
	mustMatchSchema(t, "sessions_list", env, envProps)
	item := schemaProps(t, "session_generic", "session_details", "session_player")
	var body sessionsBody
	r.json(t, &body)
	if body.EstimatedCount != 3 || strings.Join(ids(body.Sessions), "") != "678" {
		t.Fatalf("list %s", r.body)
	}
	for _, s := range body.Sessions {
		mustMatchSchema(t, "session", s, item)
	}
	first := body.Sessions[0]
	for k, want := range map[string]any{
		"type": "play", "name": "cam1", "proto": "hls", "ip": "10.0.0.1", "token": "tok1", "user_id": "u1",
		"max_sessions": 3.0, "soft_limitation": true, "country": "US", "bytes": 1000.0,
		"opened_at": 1767323000000.0, "updated_at": 1767323060000.0, "query_string": "token=tok1",
		"user_agent": "hls.js", "referer": "http://portal/",
	} {
		if first[k] != want {
			t.Errorf("%s = %v, want %v", k, first[k], want)
		}
	}
	if p := body.Sessions[2]["proto"]; p != "tshttp" || body.Sessions[2]["ip"] != "10.0.0.3" || body.Sessions[2]["dvr"] != true {
		t.Errorf("HTTP MPEG-TS session %v", body.Sessions[2])
	}

	for query, want := range map[string]string{
		"name=cam1":            "68",
		"stream=cam1":          "68",
		"user_id=u2":           "7",
		"ip=10.0.0.1":          "6",
		"proto=rtmp":           "7",
		"sort=-opened_at":      "876",
		"bytes_gt=1":           "67",
		"name=cam1&dvr=true":   "8",
		"user_id=":             "8",
		"q=hls.js":             "6",
		"stream=nope":          "",
		"limit=2":              "67",
		"sort=user_id&limit=5": "867",
	} {
		r := h.get("sessions?" + query)
		mustStatus(t, r, 200)
		var b sessionsBody
		r.json(t, &b)
		if got := strings.Join(ids(b.Sessions), ""); got != want {
			t.Errorf("?%s: %q, want %q", query, got, want)
		}
	}

	// Cursor paging, and select.
	r = h.get("sessions?limit=2")
	r.json(t, &body)
	if body.Next == nil {
		t.Fatal("no next cursor")
	}
	r = h.get("sessions?limit=2&cursor=" + *body.Next)
	r.json(t, &body)
	if got := strings.Join(ids(body.Sessions), ""); got != "8" {
		t.Errorf("second page %q", got)
	}
	var sel sessionsBody
	h.get("sessions?select=id,name&limit=1").json(t, &sel)
	if len(sel.Sessions) != 1 || len(sel.Sessions[0]) != 2 || sel.Sessions[0]["name"] != "cam1" {
		t.Errorf("select: %s", r.body)
	}
}

func TestSessionGetDeleteReauth(t *testing.T) {
	h := newHarness(t, testConfig(t, sessionsConf))
	h.ctl.SetSessions(testSessions())
	id := testSessions()[0].ID
	r := h.get("sessions/" + id)
	mustStatus(t, r, 200)
	mustMatchSchema(t, "session", decodeObject(t, r.body), schemaProps(t, "session_generic", "session_details", "session_player"))
	mustError(t, h.get("sessions/nope"), 404, "not_found")

	mustStatus(t, h.do("DELETE", "sessions/"+id, ""), 204)
	if k := h.ctl.Kicked(); len(k) != 1 || k[0] != id {
		t.Errorf("kicked %v", k)
	}
	mustError(t, h.do("DELETE", "sessions/"+id, ""), 404, "not_found")

	r = h.do("POST", "sessions/reauth?name=cam1", "")
	mustStatus(t, r, 200)
	mustMatchSchema(t, "collection_response", decodeObject(t, r.body), schemaProps(t, "collection_response"))
	if string(r.body) != `{"estimated_count":1}` {
		t.Errorf("reauth body %s", r.body)
	}
	mustError(t, h.do("POST", "sessions/reauth?name=nope", ""), 404, "stream_not_found")
	mustError(t, h.do("POST", "sessions/reauth", ""), 400, "bad_request")
	if r := h.get("sessions/reauth"); r.status != 404 {
		t.Errorf("GET sessions/reauth (a session id): %d", r.status)
	}
	if r := h.do("DELETE", "sessions", ""); r.status != 405 {
		t.Errorf("DELETE /sessions: %d", r.status)
	}
	// Viewers may look, not kick.
	h.ctl.SetConfig(testConfig(t, sessionsConf+"view_auth v secret;\nedit_auth e secret;\n"))
	mustStatus(t, h.get("sessions", "Authorization", basic("v", "secret")), 200)
	if r := h.do("DELETE", "sessions/"+testSessions()[1].ID, "", "Authorization", basic("v", "secret")); r.status != 403 {
		t.Errorf("a view user kicked: %d", r.status)
	}
}

func TestOnlineClients(t *testing.T) {
	h := newHarness(t, testConfig(t, sessionsConf))
	h.ctl.SetSessions(testSessions())
	h.ctl.SetStats("cam1", &stats.Stream{Alive: true, Clients: 2})
	var item streamItem
	h.get("streams/cam1").json(t, &item)
	if item.Stats == nil || item.Stats.OnlineClients != 2 {
		t.Errorf("cam1 stats %+v", item.Stats)
	}
	r := h.get("streams?stats.online_clients_gt=1")
	var list listBody
	r.json(t, &list)
	if got := names(list.Streams); len(got) != 1 || got[0] != "cam1" {
		t.Errorf("filter by online_clients: %v", got)
	}
	var cfg struct {
		Stats map[string]any `json:"stats"`
	}
	h.get("config").json(t, &cfg)
	if cfg.Stats["total_clients"] != 3.0 {
		t.Errorf("server stats %v", cfg.Stats)
	}
	mustMatchSchema(t, "server_stats", cfg.Stats, schemaProps(t, "server_stats_whoami", "server_stats_streamer",
		"server_stats_network", "resources", "server_stats_events"))
}
