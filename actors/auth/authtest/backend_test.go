package authtest_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"streamhive/actors/auth/authtest"
)

func get(t *testing.T, rawURL string, timeout time.Duration) (*http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, http.NoBody)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	return resp, err
}

func TestBackendAnswersByToken(t *testing.T) {
	b := authtest.NewBackend(t)
	b.Set("ok", authtest.Allow("X-UserId", "u1", "X-AuthDuration", "60"))
	b.Set("away", authtest.RedirectTo("http://elsewhere/x.m3u8"))
	b.Set("broken", authtest.Status(500))
	cases := []struct {
		token  string
		status int
		header string
		value  string
	}{
		{"ok", 200, "X-UserId", "u1"},
		{"away", 302, "Location", "http://elsewhere/x.m3u8"},
		{"broken", 500, "", ""},
		{"unknown", 403, "", ""},
	}
	for _, c := range cases {
		resp, err := get(t, b.URL+"?name=cam1&token="+url.QueryEscape(c.token), time.Second)
		if err != nil {
			t.Fatalf("%s: %v", c.token, err)
		}
		if resp.StatusCode != c.status || (c.header != "" && resp.Header.Get(c.header) != c.value) {
			t.Errorf("%s: %d %v, want %d %s=%s", c.token, resp.StatusCode, resp.Header, c.status, c.header, c.value)
		}
	}
	if n, m := b.Count(), b.Count("ok"); n != 4 || m != 1 {
		t.Errorf("Count() = %d, Count(ok) = %d, want 4 and 1", n, m)
	}
	if q := b.Requests()[0]; q.Get("name") != "cam1" || q.Get("token") != "ok" {
		t.Errorf("first request recorded as %v", q)
	}
}

func TestBackendMisbehaves(t *testing.T) {
	b := authtest.NewBackend(t)
	b.Set("hang", authtest.Hang())
	b.Set("slow", authtest.Slow(time.Hour))
	b.Set("drop", authtest.Drop())
	for _, tok := range []string{"hang", "slow"} {
		start := time.Now()
		if _, err := get(t, b.URL+"?token="+tok, 100*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: err %v, want the caller's deadline", tok, err)
		}
		if time.Since(start) > 5*time.Second {
			t.Errorf("%s: the caller waited past its deadline", tok)
		}
	}
	if _, err := get(t, b.URL+"?token=drop", time.Second); err == nil {
		t.Error("drop: got an answer")
	}
	b.Close()
	if _, err := get(t, b.URL+"?token=any", time.Second); err == nil {
		t.Error("closed backend: got an answer")
	}
}

func TestSecureLinkToken(t *testing.T) {
	// sha1("cam1" "192.0.2.1" "1000" "2000" "key" "salt") computed by hand
	// with `printf %s cam1192.0.2.110002000keysalt | sha1sum`.
	l := authtest.SecureLink{
		Name: "cam1", IP: "192.0.2.1", Secret: "key", Salt: "salt",
		Start: time.Unix(1000, 0), End: time.Unix(2000, 0),
	}
	want := "8d06e94fe47c560291a962b14cf044be1d25da50-salt-2000-1000"
	if got := l.Token(); got != want {
		t.Errorf("Token() = %s, want %s", got, want)
	}
	l.UserID = "john"
	if got := l.Token(); got[len(got)-5:] != "-john" || got[:40] == want[:40] {
		t.Errorf("with a user id: %s", got)
	}
}
