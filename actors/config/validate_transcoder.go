package config

import (
	"fmt"
	"maps"
	"slices"
)

// transcoder checks the transcoder line's values, the API's as the
// file's.
func (v *validator) transcoder(p position, ptr string, t *Transcoder) {
	for i := range t.Video {
		v.rendition(p, fmt.Sprintf("%s/video/%d", ptr, i), &t.Video[i])
	}
	if g := t.Global; g != nil && (g.FPS < 0 || g.GOP < 0) {
		v.add(p, ptr+"/global", "negative fps or gop")
	}
	if g := t.Global; g != nil && !transcoderDevices[g.HW] {
		v.add(p, ptr+"/global/hw", "transcoder device %q: want cpu or nvenc", g.HW)
	}
	if g := t.Global; g != nil && g.Fallback != "" && g.Fallback != "cpu" {
		v.add(p, ptr+"/global/fallback", "transcoder fallback %q: want cpu", g.Fallback)
	}
	if t.Audio != nil {
		v.audio(p, ptr+"/audio", t.Audio)
	}
	for i, o := range t.Raw {
		if grammar["transcoder "+o.Key+"="].state != inactive || o.Rendition < -1 || o.Rendition >= len(t.Video) {
			v.add(p, fmt.Sprintf("%s/raw_options/%d", ptr, i), "transcoder option %s: not one kept as written, or no rendition %d", quoteIfNeeded(o.Key), o.Rendition)
		}
	}
}

// audio checks the audio options: what the encoders take.
func (v *validator) audio(p position, ptr string, a *TranscoderAudio) {
	if a.Bitrate < 0 {
		v.add(p, ptr+"/bitrate", "negative audio bitrate")
	}
	if a.Copy && (a.Codec != "" || a.Bitrate != 0 || a.Channels != 0 || a.SampleRate != 0) {
		v.add(p, ptr, "ab=copy passes the audio through: no acodec, audio bitrate, ac or ar with it")
	}
	if a.Codec != "" && a.Codec != "aac" && a.Codec != "opus" {
		v.add(p, ptr+"/codec", "audio codec %q: want aac or opus", a.Codec)
	}
	if a.Channels != 0 && a.Channels != 1 && a.Channels != 2 {
		v.add(p, ptr+"/channels", "ac=%d: want 1 or 2", a.Channels)
	}
	switch {
	case a.SampleRate == 0:
	case a.Codec == "opus" && a.SampleRate != 48000:
		v.add(p, ptr+"/sample_rate", "ar=%d: Opus is encoded at 48000", a.SampleRate)
	case !aacRates[a.SampleRate]:
		v.add(p, ptr+"/sample_rate", "ar=%d: want one of 16000, 22050, 24000, 32000, 44100, 48000", a.SampleRate)
	}
}

// aacRates are the sample rates the AAC encoder is given.
var aacRates = map[int]bool{16000: true, 22050: true, 24000: true, 32000: true, 44100: true, 48000: true}

// rendition checks one video rendition: what the API may send that the
// parser would have refused.
func (v *validator) rendition(p position, ptr string, r *TranscoderVideo) {
	if r.Bitrate < 0 || r.Width < -1 || r.Height < -1 || (r.Width < 0 && r.Height < 0) {
		v.add(p, ptr, "negative bitrate or size (-1 keeps the aspect, on one side only)")
	}
	if r.Codec != "" && !videoCodecs[r.Codec] {
		v.add(p, ptr+"/codec", "video codec %q: want h264 or hevc", r.Codec)
	}
	if r.DeinterlaceRate != "" && !deinterlaceRates[r.DeinterlaceRate] {
		v.add(p, ptr+"/deinterlace_rate", "deinterlace_rate %q: want frame or field", r.DeinterlaceRate)
	}
	if r.DeinterlaceRate != "" && !r.Deinterlace {
		v.add(p, ptr+"/deinterlace_rate", "deinterlace_rate without deinterlace does nothing: add deinterlace")
	}
	codec := r.Codec
	if codec == "" {
		codec = "h264"
	}
	if r.Profile != "" && !videoProfiles[codec][r.Profile] {
		v.add(p, ptr+"/profile", "%s profile %q: want one of %v (8-bit 4:2:0, what the transcoder makes)", codec, r.Profile, slices.Sorted(maps.Keys(videoProfiles[codec])))
	}
}

// videoProfiles are the profiles each codec's encoders accept for the
// 8-bit 4:2:0 pictures the transcoder makes.
var videoProfiles = map[string]map[string]bool{
	"h264": setOf("baseline", "main", "high"),
	"hevc": setOf("main"),
}

// transcoderDevices are the hw= values StreamHive transcodes on ("" is
// cpu).
var transcoderDevices = map[string]bool{"": true, "cpu": true, "nvenc": true}
