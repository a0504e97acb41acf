package apitest

import (
	"fmt"
	"slices"

	"streamhive/actors/config"
	"streamhive/actors/sessions"
)

// SetSessions replaces the open sessions the fake reports.
func (c *Control) SetSessions(list []sessions.Info) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sessions = slices.Clone(list)
}

// Sessions returns what SetSessions stored, less the kicked ones.
func (c *Control) Sessions() []sessions.Info {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sessions)
}

// Session returns the stored session id.
func (c *Control) Session(id string) (sessions.Info, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := slices.IndexFunc(c.sessions, func(s sessions.Info) bool { return s.ID == id })
	if i < 0 {
		return sessions.Info{}, false
	}
	return c.sessions[i], true
}

// KickSession removes session id and records it (Kicked).
func (c *Control) KickSession(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := len(c.sessions)
	c.sessions = slices.DeleteFunc(c.sessions, func(s sessions.Info) bool { return s.ID == id })
	if len(c.sessions) == n {
		return false
	}
	c.kicked = append(c.kicked, id)
	return true
}

// Kicked returns the ids KickSession removed, in order.
func (c *Control) Kicked() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.kicked)
}

// ReauthSessions counts the stored sessions of a configured stream.
func (c *Control) ReauthSessions(stream string) (int, error) {
	if _, ok := c.cfg.Load().Stream(stream); !ok {
		return 0, fmt.Errorf("stream %q: %w", stream, config.ErrNotFound)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, s := range c.sessions {
		if s.Stream == stream {
			n++
		}
	}
	return n, nil
}

// TotalClients returns how many sessions are stored.
func (c *Control) TotalClients() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.sessions)
}
