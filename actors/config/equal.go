package config

import (
	"maps"
	"slices"
)

// Equality of configurations, ignoring file positions.
// Diff runs these over every stream on every API write, so they are written
// out rather than reflected (reflect.DeepEqual over copies was 10x slower).
// TestEqualCoversEveryField fails when a model field is missing here.

// EqualConfig reports whether a and b configure the same stream; file
// positions do not count.
func (a *Stream) EqualConfig(b *Stream) bool {
	return a.Name == b.Name && a.Title == b.Title && a.Comment == b.Comment &&
		a.Template == b.Template && a.Position == b.Position && equalMedia(&a.MediaOptions, &b.MediaOptions)
}

func equalTemplate(a, b *Template) bool {
	return a.Name == b.Name && slices.Equal(a.Prefixes, b.Prefixes) && equalMedia(&a.MediaOptions, &b.MediaOptions)
}

func equalDVR(a, b *DVR) bool {
	return a.Name == b.Name && a.DVRLimits == b.DVRLimits && a.Root == b.Root && slices.Equal(a.Disks, b.Disks) &&
		slices.EqualFunc(a.Raw, b.Raw, RawDirective.equal)
}

func equalMedia(m, o *MediaOptions) bool {
	return ptrEqual(m.Static, o.Static) && m.Disabled == o.Disabled &&
		slices.EqualFunc(m.Inputs, o.Inputs, Input.equal) &&
		ptrEqual(m.SourceTimeout, o.SourceTimeout) &&
		ptrEqual(m.ReturnAfter, o.ReturnAfter) && m.ErrorThreshold == o.ErrorThreshold &&
		m.Transcoder.equal(o.Transcoder) &&
		m.DVR.equal(o.DVR) &&
		slices.EqualFunc(m.Pushes, o.Pushes, Push.equal) &&
		m.Protocols.equal(o.Protocols) &&
		m.SegmentDuration == o.SegmentDuration && m.SegmentCount == o.SegmentCount &&
		m.ChunkDuration == o.ChunkDuration &&
		m.OnPlay.equal(o.OnPlay) && m.OnPublish.equal(o.OnPublish) &&
		m.Password == o.Password && ptrEqual(m.SRT, o.SRT) && m.SRTPlay.equal(o.SRTPlay) &&
		m.Thumbnails.equal(o.Thumbnails) && ptrEqual(m.ClusterIngest, o.ClusterIngest) &&
		m.DRM.equal(o.DRM) &&
		slices.EqualFunc(m.Raw, o.Raw, RawDirective.equal)
}

func (d *StreamDVR) equal(o *StreamDVR) bool {
	if d == nil || o == nil {
		return d == o
	}
	return d.Reference == o.Reference && d.Root == o.Root && d.DVRLimits == o.DVRLimits
}

// equal compares what a raw directive says, not where it was read.
func (r RawDirective) equal(o RawDirective) bool { return r.Name == o.Name && r.Text == o.Text }

func (in Input) equal(o Input) bool {
	return in.URL == o.URL && ptrEqual(in.Priority, o.Priority) && ptrEqual(in.SourceTimeout, o.SourceTimeout) &&
		in.Backup == o.Backup && in.Standby == o.Standby && maps.Equal(in.Options, o.Options) &&
		ptrEqual(in.ReturnAfter, o.ReturnAfter) && in.ErrorThreshold == o.ErrorThreshold
}

func (p Push) equal(o Push) bool {
	return p.URL == o.URL && p.RetryLimit == o.RetryLimit && p.RetryTimeout == o.RetryTimeout &&
		p.Disabled == o.Disabled && maps.Equal(p.Options, o.Options)
}

func (t *Transcoder) equal(o *Transcoder) bool {
	if t == nil || o == nil {
		return t == o
	}
	return t.Global.equal(o.Global) && slices.EqualFunc(t.Video, o.Video, TranscoderVideo.equal) &&
		ptrEqual(t.Audio, o.Audio) && slices.Equal(t.Raw, o.Raw)
}

func (g *TranscoderGlobal) equal(o *TranscoderGlobal) bool {
	if g == nil || o == nil {
		return g == o
	}
	return g.HW == o.HW && ptrEqual(g.DeviceID, o.DeviceID) && g.Fallback == o.Fallback && g.FPS == o.FPS && g.GOP == o.GOP
}

func (v TranscoderVideo) equal(o TranscoderVideo) bool {
	return v.Bitrate == o.Bitrate && v.Width == o.Width && v.Height == o.Height && v.Preset == o.Preset &&
		ptrEqual(v.BFrames, o.BFrames) && v.Deinterlace == o.Deinterlace && ptrEqual(v.Logo, o.Logo) &&
		v.Codec == o.Codec && v.Profile == o.Profile && v.DeinterlaceRate == o.DeinterlaceRate
}

func (p *Protocols) equal(o *Protocols) bool {
	if p == nil || o == nil {
		return p == o
	}
	for _, f := range protocolFields {
		if !ptrEqual(*f.get(p), *f.get(o)) {
			return false
		}
	}
	return true
}

func (a *AuthSpec) equal(o *AuthSpec) bool {
	if a == nil || o == nil {
		return a == o
	}
	return a.URL == o.URL && slices.Equal(a.Domains, o.Domains) && a.MaxSessions == o.MaxSessions &&
		slices.Equal(a.AllowedCountries, o.AllowedCountries) && slices.Equal(a.DisallowedCountries, o.DisallowedCountries) &&
		a.SoftLimitation == o.SoftLimitation && slices.Equal(a.SessionKeys, o.SessionKeys)
}

// EqualProtection reports whether a and b hold the same server-wide
// protection (model_auth.go: auth backends, on_play, on_publish, geoip,
// api_allowed_from, auth_token, max_sessions); file positions do not
// count. A stream's own on_play and on_publish are part of EqualConfig.
func EqualProtection(a, b *Server) bool { return equalProtection(&a.Protection, &b.Protection) }

func equalProtection(p, o *Protection) bool {
	return slices.EqualFunc(p.AuthBackends, o.AuthBackends, AuthBackend.equal) &&
		p.OnPlay.equal(o.OnPlay) && p.OnPublish.equal(o.OnPublish) && p.GeoIP == o.GeoIP &&
		slices.Equal(p.APIAllowedFrom, o.APIAllowedFrom) && p.AuthToken == o.AuthToken && p.MaxSessions == o.MaxSessions
}

func (b AuthBackend) equal(o AuthBackend) bool {
	return b.Name == o.Name && slices.Equal(b.AllowTokens, o.AllowTokens) && slices.Equal(b.DenyTokens, o.DenyTokens) &&
		slices.Equal(b.AllowIPs, o.AllowIPs) && slices.Equal(b.DenyIPs, o.DenyIPs) &&
		slices.Equal(b.AllowCountries, o.AllowCountries) && slices.Equal(b.DenyCountries, o.DenyCountries) &&
		slices.Equal(b.AllowUAs, o.AllowUAs) && slices.Equal(b.DenyUAs, o.DenyUAs) &&
		slices.Equal(b.Backends, o.Backends) && b.AllowDefault == o.AllowDefault
}

// ptrEqual compares what two pointers point to; nil equals only nil.
func ptrEqual[T comparable](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
