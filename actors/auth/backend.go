package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// HTTPBackend is one HTTP auth backend (`on_play http://...`, or a
// `backend URL;` of an auth_backend), asked as auth-backend.yaml
// describes: a GET with the session's query fields.
//
// When it does not answer (refused, timed out, any status but 200, 302,
// 403, an answer that does not parse) Check denies: Flussonic documents a
// default only for auth_backend (`allow_default`); for a plain backend URL
// the documentation is silent, and we fail closed.
type HTTPBackend struct {
	base   *url.URL // the configured URL; may carry its own query
	client *http.Client
}

// ErrBackendURL wraps a backend URL that cannot be asked.
var ErrBackendURL = errors.New("auth: bad backend URL")

// NewHTTPBackend returns the backend at rawURL (http or https), asked
// through client (nil: a client of its own, see NewHTTPClient). The URL
// itself never reaches logs or errors: it may carry a key.
func NewHTTPBackend(rawURL string, client *http.Client) (*HTTPBackend, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: want http:// or https:// with a host", ErrBackendURL)
	}
	if client == nil {
		client = NewHTTPClient()
	}
	return &HTTPBackend{base: u, client: client}, nil
}

// Check implements Checker.
func (b *HTTPBackend) Check(ctx context.Context, r Request) Decision {
	if d, ok := b.ask(ctx, r); ok {
		return d
	}
	return Decision{Verdict: Deny, Duration: DefaultAuthDuration, Reason: ReasonNoAnswer}
}

// ask makes one call; ok is false when the backend did not answer.
func (b *HTTPBackend) ask(ctx context.Context, r Request) (Decision, bool) {
	ctx, cancel := context.WithTimeout(ctx, BackendTimeout) // an earlier ctx deadline wins
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.requestURL(r), http.NoBody)
	if err != nil {
		return Decision{}, false
	}
	req.Header.Set("User-Agent", "StreamHive auth")
	resp, err := b.client.Do(req)
	if err != nil {
		noAnswers.Add(1)
		return Decision{}, false
	}
	// Drain a little so the connection goes back to the pool; a longer
	// body closes it instead of keeping a player waiting on it.
	_, _ = io.CopyN(io.Discard, resp.Body, maxBodyRead)
	_ = resp.Body.Close()
	d, ok := parseAnswer(resp.StatusCode, resp.Header)
	if !ok {
		noAnswers.Add(1)
	}
	return d, ok
}

// requestURL is the configured URL with the request's fields added to
// its query (the configured keys stay).
func (b *HTTPBackend) requestURL(r Request) string {
	u := *b.base
	q := u.Query()
	for k, v := range Query(r) {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Query is the query auth-backend.yaml's /auth-request-v1 takes for r.
// The optional fields are sent when they have a value; duration and bytes
// with update requests only.
func Query(r Request) url.Values {
	q := url.Values{}
	q.Set("name", r.Name)
	q.Set("proto", r.Proto)
	if r.IP.IsValid() {
		q.Set("ip", r.IP.Unmap().String())
	} else {
		q.Set("ip", "")
	}
	typ := r.Type
	if typ == "" {
		typ = NewSession
	}
	q.Set("request_type", string(typ))
	q.Set("request_number", strconv.Itoa(r.Number))
	q.Set("session_id", r.SessionID)
	q.Set("stream_clients", strconv.Itoa(r.StreamClients))
	q.Set("total_clients", strconv.Itoa(r.TotalClients))
	setIf(q, "token", r.Token)
	if typ == UpdateSession {
		q.Set("duration", strconv.FormatInt(int64(r.Duration.Seconds()), 10))
		q.Set("bytes", strconv.FormatInt(r.Bytes, 10))
	}
	setIf(q, "qs", r.QS)
	q.Set("dvr", strconv.FormatBool(r.DVR))
	setIf(q, "user_agent", r.UserAgent)
	setIf(q, "referer", r.Referer)
	return q
}

func setIf(q url.Values, k, v string) {
	if v != "" {
		q.Set(k, v)
	}
}
