package sessions

import (
	"context"
	"net/url"
	"time"

	"github.com/google/uuid"

	"streamhive/actors/auth"
)

// open decides a viewer whose key the Table does not know. The first
// request of a key holds a pending slot while it asks, so the requests
// that race it (a player's parallel segment fetches) wait for its answer
// instead of asking the backend again.
func (t *Table) open(ctx context.Context, v *Viewer, p auth.Policy, keys []string, k key, now time.Time) Admission {
	sh := t.shard(k)
	done := make(chan struct{})
	sh.mu.Lock()
	if _, ok := sh.m[k]; ok {
		sh.mu.Unlock()
		return t.Admit(ctx, *v) // another request took the key first
	}
	sh.m[k] = slot{wait: done}
	sh.mu.Unlock()

	adm, s := t.decide(ctx, v, p, keys, k, now)
	if s != nil {
		// Recorded before the waiters wake: one with the same key must
		// find this session, not an empty slot to open another in.
		t.register(s)
	}

	sh.mu.Lock()
	if sh.m[k].wait == done { // not replaced by the session itself
		delete(sh.m, k)
		if adm.Verdict == auth.Deny {
			sh.m[k] = slot{until: now.Add(t.o.NegativeTTL).UnixNano()}
		}
	}
	sh.mu.Unlock()
	close(done)
	return adm
}

// decide runs the server and stream limits and the stream's policy for a
// new viewer, and returns its session when it is let in. k is the
// viewer's key with the token it brought.
func (t *Table) decide(ctx context.Context, v *Viewer, p auth.Policy, keys []string, k key, now time.Time) (Admission, *session) {
	token, child := v.Token, v.Query
	if p != nil && token == "" {
		if t.o.NoAutoToken {
			t.metrics.denied(denyNoToken)
			return Admission{Verdict: auth.Deny}, nil
		}
		// Flussonic makes a token up for a viewer who brought none;
		// an HTTP playlist's child requests carry it (ChildQuery) and
		// so find this session.
		token = newToken()
		child = withQuery(v.Query, t.tokenKey(), token)
		k = t.keys.of(v, keys, token)
	}
	streamMax := 0
	if p != nil {
		streamMax = p.Limits().MaxSessions
	}
	streamN, totalN, why := t.counts.reserve(v.Stream, streamMax, t.serverMax())
	if why != denyNone {
		t.metrics.denied(why)
		return Admission{Verdict: auth.Deny}, nil
	}
	id := uuid.NewString()
	d := auth.Decision{Verdict: auth.Allow}
	if p != nil {
		d = p.Check(ctx, auth.Request{
			Name: v.Stream, Proto: v.Proto, IP: v.IP, Type: auth.NewSession, SessionID: id,
			StreamClients: streamN, TotalClients: totalN, Token: token, QS: v.Query, DVR: v.DVR,
			UserAgent: v.UserAgent, Referer: v.Referer,
		})
	}
	if d.Verdict != auth.Allow {
		t.counts.release(v.Stream)
		if d.Verdict == auth.Redirect {
			t.metrics.denied(denyRedirect)
			return Admission{Verdict: auth.Redirect, Location: d.Location}, nil
		}
		t.metrics.denied(denyBackend)
		t.log.Debug("session denied", "stream", v.Stream, "proto", v.Proto, "ip", v.IP, "reason", d.Reason)
		return Admission{Verdict: auth.Deny}, nil
	}
	s := t.newSession(v, id, token, child, k, now)
	s.setDecision(d, p != nil && p.Limits().SoftLimitation)
	return Admission{Verdict: auth.Allow, Ticket: s, ChildQuery: child}, s
}

func (t *Table) newSession(v *Viewer, id, token, child string, k key, now time.Time) *session {
	s := &session{
		t: t, id: id, key: k, stream: v.Stream, proto: v.Proto, ip: v.IP,
		token: token, query: v.Query, child: child, ua: v.UserAgent, referer: v.Referer, dvr: v.DVR,
		conn: isConn(v.Proto), openedAt: now, ended: make(chan struct{}),
	}
	if t.o.Country != nil {
		s.country = t.o.Country(v.IP)
	}
	s.touch(now)
	return s
}

// setDecision keeps what an allowing decision says of the session.
func (s *session) setDecision(d auth.Decision, soft bool) {
	s.duration.Store(int64(d.Duration))
	if d.UserID != "" {
		s.user.Store(&userLimit{id: d.UserID, maxSessions: d.MaxSessions, soft: soft})
	}
}

// register makes an admitted session known: by key (the one with its
// token, which differs from the first request's when the Table made the
// token up), by id, by user; then enforces the user's limit and starts
// the session's actor.
func (t *Table) register(s *session) {
	sh := t.shard(s.key)
	sh.mu.Lock()
	sh.m[s.key] = slot{s: s}
	sh.mu.Unlock()
	t.byID.Store(s.id, s)
	t.metrics.opened(s)
	t.announceOpen(s)
	t.users.add(t, s)
	if ref := t.actors.Load(); ref != nil {
		ref.root.Send(ref.sup, &spawnSession{s: s})
	}
}

// tokenKey is the query key of viewer tokens (auth_token; "token").
func (t *Table) tokenKey() string {
	if c := t.config(); c != nil && c.AuthToken != "" {
		return c.AuthToken
	}
	return auth.DefaultTokenKey
}

func (t *Table) serverMax() int {
	if c := t.config(); c != nil {
		return c.MaxSessions
	}
	return 0
}

// withQuery appends key=value to a raw query string.
func withQuery(query, key, value string) string {
	kv := url.QueryEscape(key) + "=" + url.QueryEscape(value)
	if query == "" {
		return kv
	}
	return query + "&" + kv
}

// isConn reports whether proto is a connection protocol: one request or
// socket for the whole session, which ends when the player leaves. The
// rest are HTTP protocols whose sessions span many requests and end by
// inactivity.
func isConn(proto string) bool {
	switch proto {
	case "rtmp", "rtmps", "rtsp", "rtsps", "srt", "webrtc", "whep", "mse_ld", "mseld", "mpegts", "tshttp":
		return true
	}
	return false
}
