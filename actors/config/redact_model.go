package config

import "slices"

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
	if c.SRTPublish != nil {
		c.SRTPublish.Passphrase = mask(c.SRTPublish.Passphrase)
	}
	for i := range c.Templates {
		c.Templates[i].redact()
	}
	for i := range c.Streams {
		c.Streams[i].redact()
	}
	c.OnPlay = RedactAuthSpec(c.OnPlay)
	c.OnPublish = RedactAuthSpec(c.OnPublish)
	if c.AuthBackends != nil {
		c.AuthBackends = make([]AuthBackend, len(s.AuthBackends))
		for i, b := range s.AuthBackends {
			c.AuthBackends[i] = RedactAuthBackend(b)
		}
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
	m.OnPlay = RedactAuthSpec(m.OnPlay)
	m.OnPublish = RedactAuthSpec(m.OnPublish)
	m.Password = mask(m.Password)
}

// RedactAuthSpec returns a copy of a with its backend URL redacted (a
// backend's credentials, a securetoken secret); nil stays nil.
func RedactAuthSpec(a *AuthSpec) *AuthSpec {
	if a == nil {
		return nil
	}
	c := *a
	c.Domains = slices.Clone(a.Domains)
	c.AllowedCountries = slices.Clone(a.AllowedCountries)
	c.DisallowedCountries = slices.Clone(a.DisallowedCountries)
	c.SessionKeys = slices.Clone(a.SessionKeys)
	c.URL = RedactURL(a.URL)
	return &c
}

// RedactAuthBackend returns a copy of b for a view-only reader: its
// backends' URLs redacted and its allow and deny tokens (each one a key
// to the streams) masked. For the /auth_backends API as much as /config.
func RedactAuthBackend(b AuthBackend) AuthBackend {
	c := b
	c.AllowTokens = maskEach(b.AllowTokens)
	c.DenyTokens = maskEach(b.DenyTokens)
	c.AllowIPs = slices.Clone(b.AllowIPs)
	c.DenyIPs = slices.Clone(b.DenyIPs)
	c.AllowCountries = slices.Clone(b.AllowCountries)
	c.DenyCountries = slices.Clone(b.DenyCountries)
	c.AllowUAs = slices.Clone(b.AllowUAs)
	c.DenyUAs = slices.Clone(b.DenyUAs)
	if b.Backends != nil {
		c.Backends = make([]AuthBackendURL, len(b.Backends))
		for i, u := range b.Backends {
			u.URL = RedactURL(u.URL)
			c.Backends[i] = u
		}
	}
	return c
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
