package auth

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"streamhive/actors/auth/authtest"
)

func testRequest(token string) Request {
	return Request{
		Name: "cam1", Proto: "hls", IP: netip.MustParseAddr("203.0.113.7"),
		Type: NewSession, SessionID: "s-1", StreamClients: 2, TotalClients: 5,
		Token: token, QS: "token=" + token + "&x=1", UserAgent: "curl/8", Referer: "http://site.example/",
	}
}

func TestHTTPBackendSendsTheProtocolQuery(t *testing.T) {
	be := authtest.NewBackend(t)
	be.Set("t1", authtest.Allow())
	b, err := NewHTTPBackend(be.URL+"?key=k", nil)
	if err != nil {
		t.Fatal(err)
	}
	r := testRequest("t1")
	if d := b.Check(context.Background(), r); d.Verdict != Allow {
		t.Fatalf("verdict %v (%s), want allow", d.Verdict, d.Reason)
	}
	r.Type, r.Number, r.Duration, r.Bytes, r.DVR = UpdateSession, 3, 95*time.Second, 12345, true
	b.Check(context.Background(), r)
	reqs := be.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	want := map[string]string{
		"key": "k", "name": "cam1", "proto": "hls", "ip": "203.0.113.7", "request_type": "new_session",
		"request_number": "0", "session_id": "s-1", "stream_clients": "2", "total_clients": "5",
		"token": "t1", "qs": "token=t1&x=1", "dvr": "false", "user_agent": "curl/8", "referer": "http://site.example/",
	}
	for k, v := range want {
		if got := reqs[0].Get(k); got != v {
			t.Errorf("new_session %s = %q, want %q", k, got, v)
		}
	}
	if reqs[0].Has("duration") || reqs[0].Has("bytes") {
		t.Errorf("new_session carries duration/bytes: %v", reqs[0])
	}
	upd := map[string]string{"request_type": "update_session", "request_number": "3", "duration": "95", "bytes": "12345", "dvr": "true"}
	for k, v := range upd {
		if got := reqs[1].Get(k); got != v {
			t.Errorf("update_session %s = %q, want %q", k, got, v)
		}
	}
}

func TestHTTPBackendAnswers(t *testing.T) {
	be := authtest.NewBackend(t)
	be.Set("user", authtest.Allow("X-AuthDuration", "600", "X-UserId", "u42", "X-Max-Sessions", "3"))
	be.Set("unique", authtest.Allow("X-UserId", "u1", "X-Unique", "true"))
	be.Set("redirect", authtest.RedirectTo("http://other.example/cam2/index.m3u8"))
	be.Set("deny", authtest.Answer{Status: 403, Headers: map[string]string{"X-AuthDuration": "120"}})
	be.Set("e500", authtest.Status(500))
	be.Set("e404", authtest.Status(404))
	be.Set("drop", authtest.Drop())
	be.Set("garbage", authtest.Allow("X-AuthDuration", "soon"))
	be.Set("nolocation", authtest.Status(302))
	b, err := NewHTTPBackend(be.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		token string
		want  Decision
	}{
		{"user", Decision{Verdict: Allow, Duration: 600 * time.Second, UserID: "u42", MaxSessions: 3, Reason: "backend 200"}},
		{"unique", Decision{Verdict: Allow, Duration: DefaultAuthDuration, UserID: "u1", MaxSessions: 1, Reason: "backend 200"}},
		{"redirect", Decision{Verdict: Redirect, Location: "http://other.example/cam2/index.m3u8", Duration: DefaultAuthDuration, Reason: "backend 302"}},
		{"deny", Decision{Verdict: Deny, Duration: 120 * time.Second, Reason: "backend 403"}},
		{"e500", noAnswer()},
		{"e404", noAnswer()},
		{"drop", noAnswer()},
		{"garbage", noAnswer()},
		{"nolocation", noAnswer()},
	}
	for _, c := range cases {
		if got := b.Check(context.Background(), testRequest(c.token)); got != c.want {
			t.Errorf("token %s: got %+v, want %+v", c.token, got, c.want)
		}
	}
}

func noAnswer() Decision {
	return Decision{Verdict: Deny, Duration: DefaultAuthDuration, Reason: ReasonNoAnswer}
}

func TestHTTPBackendSlowOrDownIsNoAnswer(t *testing.T) {
	be := authtest.NewBackend(t)
	be.Set("hang", authtest.Hang())
	be.Set("slow", authtest.Slow(time.Minute))
	b, err := NewHTTPBackend(be.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"hang", "slow"} {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		start := time.Now()
		d := b.Check(ctx, testRequest(tok))
		cancel()
		if d != noAnswer() {
			t.Errorf("%s: got %+v, want no answer", tok, d)
		}
		if el := time.Since(start); el > 2*time.Second {
			t.Errorf("%s: took %v, past the caller's deadline", tok, el)
		}
	}
	be.Close()
	if d := b.Check(context.Background(), testRequest("any")); d != noAnswer() {
		t.Errorf("down backend: got %+v, want no answer", d)
	}
}

func TestNewHTTPBackendRejectsBadURLs(t *testing.T) {
	for _, u := range []string{"", "ftp://x/auth", "http://", "://x", "/etc/flussonic/auth.lua"} {
		if _, err := NewHTTPBackend(u, nil); !errors.Is(err, ErrBackendURL) {
			t.Errorf("%q: err %v, want ErrBackendURL", u, err)
		}
	}
}

func TestParseAnswer(t *testing.T) {
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	cases := []struct {
		name   string
		status int
		h      http.Header
		ok     bool
		dur    time.Duration
		max    int
	}{
		{"plain 200", 200, h(), true, DefaultAuthDuration, 0},
		{"huge duration capped", 200, h("X-AuthDuration", "99999999999999999999"), true, MaxAuthDuration, 0},
		{"day", 200, h("X-AuthDuration", " 86400 "), true, 24 * time.Hour, 0},
		{"zero duration", 200, h("X-AuthDuration", "0"), false, 0, 0},
		{"negative duration", 200, h("X-AuthDuration", "-5"), false, 0, 0},
		{"fractional duration", 200, h("X-AuthDuration", "1.5"), false, 0, 0},
		{"max and unique: lower", 200, h("X-Max-Sessions", "5", "X-Unique", "true"), true, DefaultAuthDuration, 1},
		{"unique false", 200, h("X-Max-Sessions", "5", "X-Unique", "false"), true, DefaultAuthDuration, 5},
		{"bad unique", 200, h("X-Unique", "maybe"), false, 0, 0},
		{"bad max", 200, h("X-Max-Sessions", "many"), false, 0, 0},
		{"negative max", 200, h("X-Max-Sessions", "-1"), false, 0, 0},
		{"long user id", 200, h("X-UserId", string(make([]byte, maxUserID+1))), false, 0, 0},
		{"301 is no answer", 301, h("Location", "http://x/"), false, 0, 0},
		{"401 is no answer", 401, h(), false, 0, 0},
		{"location with newline", 302, h("Location", "http://x/\r\nX: y"), false, 0, 0},
	}
	for _, c := range cases {
		d, ok := parseAnswer(c.status, c.h)
		if ok != c.ok || (ok && (d.Duration != c.dur || d.MaxSessions != c.max)) {
			t.Errorf("%s: got %+v ok=%v, want ok=%v duration %v max %d", c.name, d, ok, c.ok, c.dur, c.max)
		}
	}
}

func TestHTTPBackendKeepsConnectionsAlive(t *testing.T) {
	be := authtest.NewBackend(t)
	be.SetDefault(authtest.Answer{Status: 403, Headers: map[string]string{"X-AuthDuration": "5"}})
	client := NewHTTPClient()
	b1, _ := NewHTTPBackend(be.URL, client)
	b2, _ := NewHTTPBackend(be.URL+"?other=1", client)
	for range 10 {
		b1.Check(context.Background(), testRequest("x"))
		b2.Check(context.Background(), testRequest("y"))
	}
	if n := be.Connections(); n != 1 {
		t.Errorf("20 sequential asks over one shared client opened %d connections, want 1", n)
	}
}

func FuzzParseAnswer(f *testing.F) {
	f.Add(200, "3600", "user-1", "3", "true", "")
	f.Add(302, "", "", "", "", "http://x/y")
	f.Add(403, "99999999999999999999", "", "-1", "maybe", "")
	f.Add(200, "9223372037", "", "", "", "") // overflowed time.Duration (n*1e9 > MaxInt64) once
	f.Fuzz(func(t *testing.T, status int, dur, user, maxSessions, unique, location string) {
		h := http.Header{}
		for k, v := range map[string]string{"X-AuthDuration": dur, "X-UserId": user, "X-Max-Sessions": maxSessions, "X-Unique": unique, "Location": location} {
			if v != "" {
				h.Set(k, v)
			}
		}
		d, ok := parseAnswer(status, h)
		if !ok {
			return
		}
		if d.Duration <= 0 || d.Duration > MaxAuthDuration || d.MaxSessions < 0 || len(d.UserID) > maxUserID {
			t.Fatalf("out of bounds: %+v", d)
		}
		if (d.Verdict == Redirect) != (status == 302) || (d.Verdict == Redirect && d.Location == "") {
			t.Fatalf("status %d gave %+v", status, d)
		}
	})
}
