package config

import (
	"strings"
)

// parseTranscoder handles the transcoder line:
//
//	transcoder [hw=nvenc] [deviceid=0] [fallback=cpu] [fps=25] [gop=50]
//	           vb=4000k [size=1920x1080] [preset=veryfast] [bframes=0] [deinterlace] [logo=/p.png[@tl]]
//	           vb=2000k ... ab=128k acodec=aac;
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
		case key == "ab" && a.option:
			p.bitrate(a, &t.Audio.Bitrate)
		case key == "acodec" && a.option:
			t.Audio.Codec = val
		case a.option && grammar["transcoder "+key+"="].state == inactive:
			t.Raw = append(t.Raw, TranscoderOption{Key: key, Value: val, Rendition: len(t.Video) - 1})
		default:
			p.errorf(a.pos, "unknown transcoder option %s; want vb, size, preset, bframes, deinterlace, logo, ab, acodec, hw, deviceid, fallback, fps or gop", a.describe())
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
	"size":   parseSize,
	"preset": func(_ *parser, a token, v *TranscoderVideo) { v.Preset = a.val },
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

// logoPositions are the corners (and centre) a logo may sit in.
var logoPositions = setOf("tl", "tr", "bl", "br", "c")

// parseSize reads size=WxH.
func parseSize(p *parser, a token, v *TranscoderVideo) {
	w, h, ok := strings.Cut(a.val, "x")
	wn, err1 := parseInt(w)
	hn, err2 := parseInt(h)
	if !a.option || !ok || err1 != nil || err2 != nil {
		p.errorf(a.valPos(), "transcoder: size: expected WIDTHxHEIGHT, got %q", a.val)
		return
	}
	v.Width, v.Height = wn, hn
}

func (p *parser) bitrate(a token, dst *int) {
	n, err := ParseBitrate(a.val)
	if err != nil {
		p.errorf(a.valPos(), "%s: %v", a.key, err)
		return
	}
	*dst = n
}
