package config

import (
	"fmt"
	"strings"
)

// Segment duration bounds in milliseconds, from the schema's
// segment_duration (minimum 1000, maximum 15000).
const (
	minSegmentDuration = 1000
	maxSegmentDuration = 15000
	// minChunkDuration: shorter LL-HLS parts cost a request each for a
	// frame or two of media.
	minChunkDuration = 50
	// defaultSegmentDuration is the segmenter's default (Flussonic's).
	defaultSegmentDuration = 2000
)

// inputSchemes are the input URL schemes a stream may pull or be fed from
// (stream_input: publish://, fake://, udp://, copy://, mixer://, ...).
var inputSchemes = setOf("publish", "fake", "rtmp", "rtmps", "rtmpt", "rtsp", "rtsps", "srt", "udp", "udp2",
	"tshttp", "tshttps", "hls", "hlss", "http", "https", "file", "copy", "playlist", "m4f", "m4fs",
	"m4s", "m4ss", "vod", "mixer", "mosaic", "timeshift", "decklink", "dektec", "webrtc", "whip", "whep",
	"shoutcast", "rtp", "st2110", "ndi", "v4l", "sdi", "h323", "mpts-dvb", "dvb", "spts-dvb")

func setOf(s ...string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, x := range s {
		m[x] = true
	}
	return m
}

// urlScheme returns the scheme of a URL such as rtmp://host/app, or "" if
// there is no "scheme://".
func urlScheme(u string) string {
	scheme, _, ok := strings.Cut(u, "://")
	if !ok {
		return ""
	}
	return strings.ToLower(scheme)
}

func (v *validator) media(p position, ptr string, m *MediaOptions) {
	for i := range m.Inputs {
		in := &m.Inputs[i]
		ip := p
		if in.pos.known() {
			ip = in.pos
		}
		// Pointers are built only for errors: this runs over every input
		// on every API write.
		iptr := func(field string) string { return fmt.Sprintf("%s/inputs/%d/%s", ptr, i, field) }
		switch sc := urlScheme(in.URL); {
		case in.URL == "":
			v.add(ip, iptr("url"), "input without a URL")
		case !inputSchemes[sc]:
			v.add(ip, iptr("url"), "input %q: unknown URL scheme %q", RedactURL(in.URL), sc)
		}
		if in.Priority != nil && *in.Priority < 0 {
			v.add(ip, iptr("priority"), "priority %d is negative", *in.Priority)
		}
		v.failover(ip, fmt.Sprintf("%s/inputs/%d", ptr, i), in.ReturnAfter, in.ErrorThreshold)
		v.optionKeys("input", ip, fmt.Sprintf("%s/inputs/%d", ptr, i), in.Options)
	}
	for i := range m.Pushes {
		ps := &m.Pushes[i]
		pp := p
		if ps.pos.known() {
			pp = ps.pos
		}
		if sc := urlScheme(ps.URL); !known("push " + sc + "://") {
			v.add(pp, fmt.Sprintf("%s/pushes/%d/url", ptr, i), "push %q: unknown URL scheme %q", RedactURL(ps.URL), sc)
		}
		v.optionKeys("push", pp, fmt.Sprintf("%s/pushes/%d", ptr, i), ps.Options)
		if val, ok := ps.Options[PushTracksOption]; ok {
			if err := checkPushTracks(ps.URL, val); err != nil {
				v.add(pp, fmt.Sprintf("%s/pushes/%d/options/tracks", ptr, i), "push %q: tracks: %v", RedactURL(ps.URL), err)
			}
		}
	}
	if t := m.Thumbnails; t != nil {
		if err := validThumbnails(t); err != nil {
			v.add(firstKnown(t.pos, p), ptr+"/thumbnails/sizes", "%v", err)
		}
	}
	if d := m.SegmentDuration; d != 0 && (d < minSegmentDuration || d > maxSegmentDuration) {
		v.add(p, ptr+"/segment_duration", "segment_duration %dms out of range %d..%dms (1..15 s)", d, minSegmentDuration, maxSegmentDuration)
	}
	if m.SRT != nil && (m.SRT.Port < 0 || m.SRT.Port > 65535) {
		v.add(p, ptr+"/srt", "srt port %d out of range 0..65535", m.SRT.Port)
	}
	v.failover(p, ptr, m.ReturnAfter, m.ErrorThreshold)
	v.chunkDuration(p, ptr, m)
	if m.SegmentCount < 0 {
		v.add(p, ptr+"/segment_count", "segment_count %d is negative", m.SegmentCount)
	}
	if d := m.DVR; d != nil {
		v.streamDVR(p, ptr+"/dvr", d)
	}
	v.authSpec(m.OnPlay, "on_play", p, ptr+"/on_play")
	v.authSpec(m.OnPublish, "on_publish", p, ptr+"/on_publish")
	if t := m.Transcoder; t != nil {
		v.transcoder(p, ptr+"/transcoder", t)
	}
}

func (v *validator) streamDVR(p position, ptr string, d *StreamDVR) {
	switch {
	case d.Reference != "" && d.Root != "":
		v.add(p, ptr, "dvr has both a reference @%s and a root %q", d.Reference, d.Root)
	case d.Reference != "":
		if _, ok := v.s.DVR(d.Reference); !ok {
			v.add(p, ptr+"/reference", "unknown dvr @%s", d.Reference)
		}
	case d.Root == "":
		v.add(p, ptr, "dvr needs a root path or @NAME")
	}
	v.limits(p, ptr, d.DVRLimits)
}

// optionKeys refuses the options of an input or push (what) that the
// grammar table does not list: an option that is not checked must not
// pass as if it did something.
func (v *validator) optionKeys(what string, p position, ptr string, opts map[string]string) {
	for k := range opts {
		if !known(what + " " + k + "=") {
			v.add(p, ptr+"/options/"+k, "unknown %s option %s", what, quoteIfNeeded(k))
		}
	}
}

// chunkDuration checks the LL-HLS part target: at least minChunkDuration
// and at most the stream's segment duration (the default one when unset).
func (v *validator) chunkDuration(p position, ptr string, m *MediaOptions) {
	d := m.ChunkDuration
	if d == 0 {
		return
	}
	seg := m.SegmentDuration
	if seg == 0 {
		seg = defaultSegmentDuration
	}
	if d < minChunkDuration || d > seg {
		v.add(p, ptr+"/chunk_duration", "chunk_duration %dms out of range %d..%dms (at most the segment duration)", d, minChunkDuration, seg)
	}
}
