package config

import (
	"maps"
	"slices"
	"strings"
)

// parseTranscoder handles the transcoder line:
//
//	transcoder [hw=nvenc] [deviceid=0] [fallback=cpu] [fps=25] [gop=50]
//	           vb=4000k [size=1920x1080] [preset=veryfast] [bframes=0] [deinterlace] [logo=/p.png[@tl]]
//	           vb=2000k [vcodec=hevc] [profile=main] [deinterlace_rate=field] ...
//	           ab=128k|copy acodec=aac [ac=2] [ar=48000];
//
// Each vb= starts a new video rendition; the video options after it belong
// to it. Global and audio options may appear anywhere.
func parseTranscoder(p *parser, s *stmt, m *MediaOptions) {
	if !p.nargs(s, 0, -1, "transcoder options") {
		return
	}
	t := &Transcoder{Global: &TranscoderGlobal{}, Audio: &TranscoderAudio{}, pos: s.name.pos}
	for _, a := range s.args {
		key, val := a.key, a.val
		if !a.option {
			key = a.text
		}
		if h, ok := tcGlobal[key]; ok && a.option {
			h(p, a, t.Global)
			continue
		}
		if key == "vb" && a.option {
			v := TranscoderVideo{}
			p.bitrate(a, &v.Bitrate)
			t.Video = append(t.Video, v)
			continue
		}
		if h, ok := tcVideo[key]; ok && (a.option || key == "deinterlace") {
			if len(t.Video) == 0 {
				p.errorf(a.pos, "transcoder: expected vb= before %s: video options belong to the rendition vb= starts", key)
				continue
			}
			h(p, a, &t.Video[len(t.Video)-1])
			continue
		}
		switch {
		case key == "ab" && a.option && val == "copy":
			t.Audio.Copy = true
		case key == "ab" && a.option:
			p.bitrate(a, &t.Audio.Bitrate)
		case key == "acodec" && a.option:
			t.Audio.Codec = val
		case key == "ac" && a.option:
			p.intOption(a, &t.Audio.Channels)
		case key == "ar" && a.option:
			p.intOption(a, &t.Audio.SampleRate)
		case a.option && grammar["transcoder "+key+"="].state == inactive:
			t.Raw = append(t.Raw, TranscoderOption{Key: key, Value: val, Rendition: len(t.Video) - 1})
		default:
			p.errorf(a.pos, "unknown transcoder option %s; want vb, size, vcodec, preset, profile, bframes, deinterlace, deinterlace_rate, logo, ab, acodec, ac, ar, hw, deviceid, fallback, fps or gop", a.describe())
		}
	}
	// Options written as zero print as absent: keep the model the same.
	if *t.Global == (TranscoderGlobal{}) {
		t.Global = nil
	}
	if *t.Audio == (TranscoderAudio{}) {
		t.Audio = nil
	}
	m.Transcoder = t
}

var tcGlobal = map[string]func(*parser, token, *TranscoderGlobal){
	"hw": func(_ *parser, a token, g *TranscoderGlobal) { g.HW = a.val },
	"deviceid": func(p *parser, a token, g *TranscoderGlobal) {
		var n int
		p.intOption(a, &n)
		g.DeviceID = &n
	},
	"fallback": func(_ *parser, a token, g *TranscoderGlobal) { g.Fallback = a.val },
	"fps":      func(p *parser, a token, g *TranscoderGlobal) { p.intOption(a, &g.FPS) },
	"gop":      func(p *parser, a token, g *TranscoderGlobal) { p.intOption(a, &g.GOP) },
}

// tcVideo are the options of one rendition; deinterlace is a bare flag.
var tcVideo = map[string]func(*parser, token, *TranscoderVideo){
	"size":    parseSize,
	"preset":  func(_ *parser, a token, v *TranscoderVideo) { v.Preset = a.val },
	"vcodec":  func(p *parser, a token, v *TranscoderVideo) { v.Codec = p.oneOf(a, videoCodecs) },
	"profile": func(_ *parser, a token, v *TranscoderVideo) { v.Profile = a.val },
	"deinterlace_rate": func(p *parser, a token, v *TranscoderVideo) {
		v.DeinterlaceRate = p.oneOf(a, deinterlaceRates)
	},
	"bframes": func(p *parser, a token, v *TranscoderVideo) {
		var n int
		p.intOption(a, &n)
		v.BFrames = &n
	},
	// deinterlace is a bare flag, or deinterlace=true|false.
	"deinterlace": func(p *parser, a token, v *TranscoderVideo) {
		switch {
		case !a.option || a.val == "true":
			v.Deinterlace = true
		case a.val == "false":
			v.Deinterlace = false
		default:
			p.errorf(a.valPos(), "transcoder: deinterlace: expected true or false, got %s", quoteIfNeeded(a.val))
		}
	},
	"logo": func(_ *parser, a token, v *TranscoderVideo) {
		l := &Logo{Path: a.val}
		if i := strings.LastIndexByte(a.val, '@'); i >= 0 && logoPositions[a.val[i+1:]] {
			l.Path, l.Position = a.val[:i], a.val[i+1:]
		}
		v.Logo = l
	},
}

// videoCodecs are the vcodec= values the transcoder encodes (HEVC with
// libx265, or hevc_nvenc under hw=nvenc); Flussonic's av1 and mp2v are
// not built and so are errors rather than silently H.264.
var videoCodecs = setOf("h264", "hevc")

var deinterlaceRates = setOf("frame", "field")

// oneOf returns a's value when it is in set, and reports it otherwise.
func (p *parser) oneOf(a token, set map[string]bool) string {
	if !set[a.val] {
		p.errorf(a.valPos(), "transcoder: %s: %s is not one of %s", a.key, quoteIfNeeded(a.val), strings.Join(slices.Sorted(maps.Keys(set)), ", "))
		return ""
	}
	return a.val
}

// logoPositions are the corners (and centre) a logo may sit in.
var logoPositions = setOf("tl", "tr", "bl", "br", "c")

// parseSize reads size=WxH, where -1 for one side keeps the aspect.
func parseSize(p *parser, a token, v *TranscoderVideo) {
	w, h, ok := strings.Cut(a.val, "x")
	wn, err1 := sizeSide(w)
	hn, err2 := sizeSide(h)
	if !a.option || !ok || err1 != nil || err2 != nil || min(wn, hn) < -1 || (wn < 0 && hn < 0) {
		p.errorf(a.valPos(), "transcoder: size: expected WIDTHxHEIGHT (-1 for one side keeps the aspect), got %q", a.val)
		return
	}
	v.Width, v.Height = wn, hn
}

func sizeSide(s string) (int, error) {
	if s == "-1" {
		return -1, nil
	}
	return parseInt(s)
}

func (p *parser) bitrate(a token, dst *int) {
	n, err := ParseBitrate(a.val)
	if err != nil {
		p.errorf(a.valPos(), "%s: %v", a.key, err)
		return
	}
	*dst = n
}
