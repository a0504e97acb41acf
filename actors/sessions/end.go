package sessions

import (
	"context"
	"time"

	"streamhive/actors/auth"
)

// endReason is why a session ended: a bounded metrics label.
type endReason uint8

const (
	endClosed endReason = iota // the player left (Ticket.Close), or the server stops
	endIdle                    // an HTTP session saw no request for the idle timeout
	endDenied                  // the backend said no at a re-ask
	endBanned                  // over its user's session limit
	endKicked                  // DELETE /sessions/{id}
	endReasons
)

var endNames = [endReasons]string{"closed", "idle", "denied", "banned", "kicked"}

// end ends s once: its key is freed (or refused, for a ban, a kick and a
// denial), it leaves the indexes and counts, Ended closes and its actor
// stops. It reports whether this call ended it.
func (t *Table) end(s *session, why endReason) bool {
	if !s.finish() {
		return false
	}
	now := time.Now()
	var refusal slot
	switch why {
	case endBanned, endKicked:
		d := s.authDuration()
		if d <= 0 {
			d = t.o.Duration
		}
		refusal = slot{until: now.Add(d).UnixNano(), banned: true}
	case endDenied:
		refusal = slot{until: now.Add(t.o.NegativeTTL).UnixNano()}
	case endClosed, endIdle, endReasons: // nothing to refuse: the key is free again
	}
	sh := t.shard(s.key)
	sh.mu.Lock()
	if cur, ok := sh.m[s.key]; ok && cur.s == s {
		if refusal.until != 0 {
			sh.m[s.key] = refusal
		} else {
			delete(sh.m, s.key)
		}
	}
	sh.mu.Unlock()
	t.byID.Delete(s.id)
	t.counts.release(s.stream)
	t.users.remove(s)
	t.metrics.closed(s, why)
	t.announceClose(s, why)
	if ref := t.actors.Load(); ref != nil {
		if pid := s.pid.Load(); pid != nil {
			ref.root.Stop(pid)
		}
	}
	return true
}

// reask asks the session's policy again (update_session), bounded by
// the ask timeout. A stream that is no longer protected allows.
func (t *Table) reask(s *session) auth.Decision {
	p := t.policy(s.stream)
	if p == nil {
		return auth.Decision{Verdict: auth.Allow}
	}
	ctx, cancel := context.WithTimeout(context.Background(), t.o.AskTimeout)
	defer cancel()
	streamN, totalN := t.counts.of(s.stream)
	return p.Check(ctx, auth.Request{
		Name: s.stream, Proto: s.proto, IP: s.ip, Type: auth.UpdateSession, Number: int(s.asks.Add(1)),
		SessionID: s.id, StreamClients: streamN, TotalClients: totalN, Token: s.token,
		Duration: time.Since(s.openedAt), Bytes: s.bytes.Load(), QS: s.query, DVR: s.dvr,
		UserAgent: s.ua, Referer: s.referer,
	})
}

// applyReask keeps a live session the backend still allows (with the new
// decision's duration and user limit) and ends one it denies; a redirect
// cannot move a session that is playing, so it ends it too. It reports
// whether the session lives on.
func (t *Table) applyReask(s *session, d auth.Decision) bool {
	if s.isEnded() {
		return false
	}
	if d.Verdict != auth.Allow {
		t.log.Info("session denied at re-authorization", "stream", s.stream, "session_id", s.id,
			"user_id", s.userID(), "reason", d.Reason)
		t.end(s, endDenied)
		return false
	}
	old := s.userID()
	soft := false
	if u := s.user.Load(); u != nil {
		soft = u.soft
	}
	if d.UserID != old {
		t.users.remove(s)
		s.user.Store(nil)
	}
	s.setDecision(d, soft)
	if d.UserID != "" && d.UserID != old {
		t.users.add(t, s)
	}
	return true
}

// sweep drops the refusals that have run out, so that keys nobody asks
// for again do not stay. Called periodically by the sessions supervisor.
func (t *Table) sweep(now time.Time) {
	n := now.UnixNano()
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		for k, sl := range sh.m {
			if sl.s == nil && sl.wait == nil && sl.until <= n {
				delete(sh.m, k)
			}
		}
		sh.mu.Unlock()
	}
}
