package config

import (
	"maps"
	"slices"
)

// Clone returns a deep copy of s: nothing in the copy shares memory with s,
// so either may be edited without affecting the other.
func (s *Server) Clone() *Server {
	if s == nil {
		return nil
	}
	c := *s
	c.Listeners = s.Listeners.clone()
	c.SRT = clonePtr(s.SRT)
	c.SRTPublish = s.SRTPublish.clone()
	c.SRTPlay = s.SRTPlay.clone()
	c.EditAuth = clonePtr(s.EditAuth)
	c.ViewAuth = clonePtr(s.ViewAuth)
	c.Peers = cloneEach(s.Peers, Peer.clone)
	c.Sources = cloneEach(s.Sources, Source.clone)
	c.ClusterEtcd = slices.Clone(s.ClusterEtcd)
	c.Raw = slices.Clone(s.Raw)
	c.Protection = s.clone()
	c.EventSinks = cloneEach(s.EventSinks, EventSink.clone)
	c.DVRs = cloneEach(s.DVRs, DVR.clone)
	c.VODs = cloneEach(s.VODs, VOD.clone)
	c.Templates = cloneEach(s.Templates, Template.clone)
	c.Streams = cloneEach(s.Streams, Stream.clone)
	c.pos = maps.Clone(s.pos)
	return &c
}

// ShallowClone copies s and the backing arrays of its lists, sharing
// everything below them. It is enough for applying a Change: Apply replaces
// list elements and top-level fields but never writes through a pointer it
// did not make, so the original stays intact. With 10,000 streams it is
// some 20 times cheaper than Clone.
func (s *Server) ShallowClone() *Server {
	if s == nil {
		return nil
	}
	c := *s
	c.Peers = cloneEach(s.Peers, Peer.clone)
	c.Sources = cloneEach(s.Sources, Source.clone)
	c.ClusterEtcd = slices.Clone(s.ClusterEtcd)
	c.Raw = slices.Clone(s.Raw)
	c.AuthBackends = slices.Clone(s.AuthBackends)
	c.EventSinks = slices.Clone(s.EventSinks)
	c.DVRs = slices.Clone(s.DVRs)
	c.VODs = slices.Clone(s.VODs)
	c.Templates = slices.Clone(s.Templates)
	c.Streams = slices.Clone(s.Streams)
	c.pos = maps.Clone(s.pos)
	return &c
}

func (l *Listeners) clone() *Listeners {
	if l == nil {
		return nil
	}
	return &Listeners{
		HTTP: cloneEach(l.HTTP, Listen.clone), HTTPS: cloneEach(l.HTTPS, Listen.clone),
		RTMP: cloneEach(l.RTMP, Listen.clone), RTMPS: cloneEach(l.RTMPS, Listen.clone),
		RTSP: cloneEach(l.RTSP, Listen.clone), RTSPS: cloneEach(l.RTSPS, Listen.clone),
	}
}

func (l Listen) clone() Listen {
	l.SSLProtocols = slices.Clone(l.SSLProtocols)
	return l
}

func (p Peer) clone() Peer {
	p.Raw = slices.Clone(p.Raw)
	return p
}

func (d DVR) clone() DVR {
	d.Disks = slices.Clone(d.Disks)
	d.Raw = slices.Clone(d.Raw)
	return d
}

func (v VOD) clone() VOD {
	v.Storages = slices.Clone(v.Storages)
	v.stoPos = slices.Clone(v.stoPos)
	v.Cache = clonePtr(v.Cache)
	v.Raw = slices.Clone(v.Raw)
	return v
}

func (t Template) clone() Template {
	t.Prefixes = slices.Clone(t.Prefixes)
	t.MediaOptions = t.MediaOptions.clone()
	return t
}

func (s Stream) clone() Stream {
	s.MediaOptions = s.MediaOptions.clone()
	return s
}

func (m MediaOptions) clone() MediaOptions {
	m.Static = clonePtr(m.Static)
	m.Inputs = cloneEach(m.Inputs, Input.clone)
	m.SourceTimeout = clonePtr(m.SourceTimeout)
	m.ReturnAfter = clonePtr(m.ReturnAfter)
	m.Transcoder = m.Transcoder.clone()
	m.DVR = clonePtr(m.DVR)
	m.Pushes = cloneEach(m.Pushes, Push.clone)
	m.Protocols = m.Protocols.clone()
	m.OnPlay = m.OnPlay.clone()
	m.OnPublish = m.OnPublish.clone()
	m.SRT = clonePtr(m.SRT)
	m.SRTPlay = m.SRTPlay.clone()
	m.Thumbnails = m.Thumbnails.clone()
	m.ClusterIngest = clonePtr(m.ClusterIngest)
	m.DRM = clonePtr(m.DRM)
	m.Raw = slices.Clone(m.Raw)
	return m
}

func (in Input) clone() Input {
	in.Priority = clonePtr(in.Priority)
	in.SourceTimeout = clonePtr(in.SourceTimeout)
	in.ReturnAfter = clonePtr(in.ReturnAfter)
	in.Options = maps.Clone(in.Options)
	return in
}

func (p Push) clone() Push {
	p.Options = maps.Clone(p.Options)
	return p
}

func (t *Transcoder) clone() *Transcoder {
	if t == nil {
		return nil
	}
	c := Transcoder{Audio: clonePtr(t.Audio), Raw: slices.Clone(t.Raw), pos: t.pos}
	if t.Global != nil {
		g := *t.Global
		g.DeviceID = clonePtr(g.DeviceID)
		c.Global = &g
	}
	c.Video = cloneEach(t.Video, func(v TranscoderVideo) TranscoderVideo {
		v.BFrames = clonePtr(v.BFrames)
		v.Logo = clonePtr(v.Logo)
		return v
	})
	return &c
}

func (p *Protocols) clone() *Protocols {
	if p == nil {
		return nil
	}
	c := Protocols{}
	for _, f := range protocolFields {
		if v := *f.get(p); v != nil {
			b := *v
			*f.get(&c) = &b
		}
	}
	return &c
}

func (a *AuthSpec) clone() *AuthSpec {
	if a == nil {
		return nil
	}
	c := *a
	c.Domains = slices.Clone(a.Domains)
	c.AllowedCountries = slices.Clone(a.AllowedCountries)
	c.DisallowedCountries = slices.Clone(a.DisallowedCountries)
	c.SessionKeys = slices.Clone(a.SessionKeys)
	c.at = maps.Clone(a.at)
	return &c
}

func (p Protection) clone() Protection {
	p.AuthBackends = cloneEach(p.AuthBackends, AuthBackend.clone)
	p.OnPlay = p.OnPlay.clone()
	p.OnPublish = p.OnPublish.clone()
	p.APIAllowedFrom = slices.Clone(p.APIAllowedFrom)
	return p
}

func (b AuthBackend) clone() AuthBackend {
	b.AllowTokens, b.DenyTokens = slices.Clone(b.AllowTokens), slices.Clone(b.DenyTokens)
	b.AllowIPs, b.DenyIPs = slices.Clone(b.AllowIPs), slices.Clone(b.DenyIPs)
	b.AllowCountries, b.DenyCountries = slices.Clone(b.AllowCountries), slices.Clone(b.DenyCountries)
	b.AllowUAs, b.DenyUAs = slices.Clone(b.AllowUAs), slices.Clone(b.DenyUAs)
	b.Backends = slices.Clone(b.Backends)
	b.at = maps.Clone(b.at)
	return b
}

// clonePtr copies the value p points to (a shallow copy of *p).
func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneEach[T any](s []T, f func(T) T) []T {
	if s == nil {
		return nil
	}
	c := make([]T, len(s))
	for i, v := range s {
		c[i] = f(v)
	}
	return c
}
