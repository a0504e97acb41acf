package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"streamhive/actors/auth/authtest"
	"streamhive/media/mediatest"
)

// The built-in checks of on_play, each on its own stream, through the real
// binary's HLS endpoints: secure links (securetoken://), the domain lock
// (domains=), GeoIP country lists (a test database that puts 127.0.0.0/8
// in Germany), an auth_backend's token rules and the per-stream session
// limit. The streams are fake://
// test patterns, made in-process, so no external program is needed.
const protectedPlayConf = `geoip %s;
stream sec { input fake://?size=160x90&fps=10; on_play securetoken://k1; }
stream dom { input fake://?size=160x90&fps=10; on_play domains=example.com; }
stream de { input fake://?size=160x90&fps=10; on_play allowed_countries=DE; }
stream nde { input fake://?size=160x90&fps=10; on_play disallowed_countries=DE; }
stream one { input fake://?size=160x90&fps=10; on_play max_sessions=1; }
auth_backend office { allow token friend; deny token foe; deny ip 192.0.2.0/24; }
stream ab { input fake://?size=160x90&fps=10; on_play auth://office; }
`

func TestPlaybackProtectionOverRealServer(t *testing.T) {
	db := authtest.CountryDB(t, map[string]string{"127.0.0.0/8": "DE"})
	port := freePort(t)
	cfg := writeConfig(t, t.TempDir(), port, fmt.Sprintf(protectedPlayConf, db))
	p := start(t, port, "-config", cfg)

	get := func(t *testing.T, path string, hdr ...string) (int, string) {
		t.Helper()
		req, err := http.NewRequest("GET", p.base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// plays waits for a 200 (a stream's first segment takes a moment).
	plays := func(t *testing.T, path string, hdr ...string) string {
		t.Helper()
		var body string
		mediatest.WaitFor(t, 20*time.Second, path+" plays", func() bool {
			code, b := get(t, path, hdr...)
			if code == http.StatusForbidden {
				t.Fatalf("GET %s: 403 %s", path, b)
			}
			body = b
			return code == http.StatusOK
		})
		return body
	}
	refused := func(t *testing.T, path string, hdr ...string) {
		t.Helper()
		if code, b := get(t, path, hdr...); code != http.StatusForbidden {
			t.Errorf("GET %s %v: %d %.200s, want 403", path, hdr, code, b)
		}
	}

	now := time.Now()
	link := authtest.SecureLink{Name: "sec", IP: "127.0.0.1", Secret: "k1", Salt: "s4lt", Start: now.Add(-time.Minute), End: now.Add(time.Hour)}
	t.Run("secure link", func(t *testing.T) {
		refused(t, "/sec/index.m3u8")
		forged := link
		forged.Secret = "k2"
		refused(t, "/sec/index.m3u8?token="+forged.Token())
		expired := link
		expired.Start, expired.End = now.Add(-2*time.Hour), now.Add(-time.Hour)
		refused(t, "/sec/index.m3u8?token="+expired.Token())
		otherIP := link
		otherIP.IP = "192.0.2.1"
		refused(t, "/sec/index.m3u8?token="+otherIP.Token())
		master := plays(t, "/sec/index.m3u8?token="+link.Token())
		// Every URI the master lists carries the token, and the media
		// playlist and its segments play with it and only with it.
		var media string
		for _, line := range strings.Split(master, "\n") {
			if line != "" && !strings.HasPrefix(line, "#") {
				media = line
				if !strings.Contains(line, "token="+link.Token()) {
					t.Errorf("master lists %q without the token", line)
				}
			}
		}
		if media == "" {
			t.Fatalf("master playlist lists nothing:\n%s", master)
		}
		list := plays(t, "/sec/"+media)
		var seg string
		for _, line := range strings.Split(list, "\n") {
			if line != "" && !strings.HasPrefix(line, "#") {
				seg = line
			}
		}
		if !strings.Contains(seg, "token="+link.Token()) {
			t.Fatalf("media playlist's last segment %q lacks the token:\n%s", seg, list)
		}
		if code, _ := get(t, "/sec/"+seg); code != http.StatusOK {
			t.Errorf("segment with the token: %d", code)
		}
		bare, _, _ := strings.Cut(seg, "?")
		refused(t, "/sec/"+bare)
	})
	t.Run("domains", func(t *testing.T) {
		plays(t, "/dom/index.m3u8", "Referer", "https://example.com/player")
		plays(t, "/dom/index.m3u8?token=b", "Referer", "https://www.example.com/")
		plays(t, "/dom/index.m3u8?token=c") // no Referer: Flussonic lets it through
		refused(t, "/dom/index.m3u8?token=d", "Referer", "https://evil.example.net/")
		refused(t, "/dom/index.m3u8?token=e", "Referer", "https://notexample.com/")
	})
	t.Run("countries", func(t *testing.T) {
		plays(t, "/de/index.m3u8")
		refused(t, "/nde/index.m3u8")
	})
	t.Run("auth_backend rules", func(t *testing.T) {
		plays(t, "/ab/index.m3u8?token=friend")
		refused(t, "/ab/index.m3u8?token=foe")
		refused(t, "/ab/index.m3u8?token=stranger") // no backend answered, no allow default
	})
	t.Run("stream session limit", func(t *testing.T) {
		plays(t, "/one/index.m3u8?token=first")
		refused(t, "/one/index.m3u8?token=second")
		plays(t, "/one/index.m3u8?token=first") // the open session goes on
	})
	t.Run("sessions API", func(t *testing.T) {
		code, body := p.do("GET", "/streamer/api/v3/sessions?name=de", "", "")
		var list struct {
			Sessions []struct {
				Name, Country, Proto string
			} `json:"sessions"`
		}
		if err := json.Unmarshal([]byte(body), &list); code != 200 || err != nil || len(list.Sessions) != 1 {
			t.Fatalf("GET /sessions?name=de: %d %v %s", code, err, body)
		}
		if s := list.Sessions[0]; s.Country != "DE" || s.Proto != "hls" {
			t.Errorf("session %+v, want country DE, proto hls", s)
		}
	})
}
