package config

import "strings"

// Redacted returns a copy of s for a view-only reader: every secret
// masked by the rule of redact.go, edit_auth dropped. s is not modified
// and the copy shares nothing with it that redaction changed.
func (s *Server) Redacted() *Server {
	if s == nil {
		return nil
	}
	c := s.Clone()
	c.EditAuth = nil
	if c.ViewAuth != nil {
		c.ViewAuth.Password = mask(c.ViewAuth.Password)
	}
	c.ClusterKey = mask(c.ClusterKey)
	for i := range c.Peers {
		c.Peers[i].ClusterKey = mask(c.Peers[i].ClusterKey)
	}
	for i := range c.Sources {
		c.Sources[i].ClusterKey = mask(c.Sources[i].ClusterKey)
	}
	if c.SRTPublish != nil {
		c.SRTPublish.Passphrase = mask(c.SRTPublish.Passphrase)
	}
	if c.SRTPlay != nil {
		c.SRTPlay.Passphrase = mask(c.SRTPlay.Passphrase)
	}
	for i := range c.VODs {
		for j := range c.VODs[i].Storages {
			if u := &c.VODs[i].Storages[j].URL; strings.Contains(*u, "://") {
				*u = RedactURL(*u)
			}
		}
	}
	for i := range c.Templates {
		c.Templates[i].redact()
	}
	for i := range c.Streams {
		c.Streams[i].redact()
	}
	c.OnPlay.redact()
	c.OnPublish.redact()
	for i := range c.AuthBackends {
		c.AuthBackends[i].redact()
	}
	for i := range c.EventSinks {
		c.EventSinks[i].URL = RedactURL(c.EventSinks[i].URL)
	}
	return c
}

// redact masks the secrets of m, which must be a clone (its inputs,
// pushes, options and auth specs its own).
func (m *MediaOptions) redact() {
	for i := range m.Inputs {
		m.Inputs[i].URL = RedactURL(m.Inputs[i].URL)
		m.Inputs[i].Options = RedactOptions(m.Inputs[i].Options)
	}
	for i := range m.Pushes {
		m.Pushes[i].URL = RedactURL(m.Pushes[i].URL)
		m.Pushes[i].Options = RedactOptions(m.Pushes[i].Options)
	}
	m.OnPlay.redact()
	m.OnPublish.redact()
	m.Password = mask(m.Password)
	if m.DRM != nil {
		m.DRM.Keyserver = RedactURL(m.DRM.Keyserver)
	}
	if m.SRTPlay != nil {
		m.SRTPlay.Passphrase = mask(m.SRTPlay.Passphrase)
	}
}

// redact redacts the backend URL of a (a backend's credentials, a
// securetoken secret), which must be a clone; nil stays nil.
func (a *AuthSpec) redact() {
	if a != nil {
		a.URL = RedactURL(a.URL)
	}
}

// redact masks what a view-only reader must not see of b, which must be a
// clone: its backends' URLs redacted and its allow and deny tokens (each
// one a key to the streams) masked.
func (b *AuthBackend) redact() {
	b.AllowTokens = maskEach(b.AllowTokens)
	b.DenyTokens = maskEach(b.DenyTokens)
	for i := range b.Backends {
		b.Backends[i].URL = RedactURL(b.Backends[i].URL)
	}
}

func maskEach(s []string) []string {
	if s == nil {
		return nil
	}
	c := make([]string, len(s))
	for i, v := range s {
		c[i] = mask(v)
	}
	return c
}
