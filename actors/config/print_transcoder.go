package config

import "strconv"

// transcoderWords are the transcoder line.
func transcoderWords(t *Transcoder) []string {
	words := []string{"transcoder"}
	if g := t.Global; g != nil {
		if g.HW != "" {
			words = append(words, opt("hw", g.HW))
		}
		if g.DeviceID != nil {
			words = append(words, "deviceid="+strconv.Itoa(*g.DeviceID))
		}
		if g.Fallback != "" {
			words = append(words, opt("fallback", g.Fallback))
		}
		if g.FPS != 0 {
			words = append(words, "fps="+strconv.Itoa(g.FPS))
		}
		if g.GOP != 0 {
			words = append(words, "gop="+strconv.Itoa(g.GOP))
		}
	}
	words = append(words, rawOptionWords(t.Raw, -1)...)
	for i, v := range t.Video {
		words = append(words, "vb="+FormatBitrate(v.Bitrate))
		if v.Width != 0 || v.Height != 0 {
			words = append(words, "size="+strconv.Itoa(v.Width)+"x"+strconv.Itoa(v.Height))
		}
		words = append(words, videoCodecWords(&v)...)
		if v.BFrames != nil {
			words = append(words, "bframes="+strconv.Itoa(*v.BFrames))
		}
		if v.Deinterlace {
			words = append(words, "deinterlace")
		}
		if v.DeinterlaceRate != "" {
			words = append(words, opt("deinterlace_rate", v.DeinterlaceRate))
		}
		if l := v.Logo; l != nil {
			path := l.Path
			if l.Position != "" {
				path += "@" + l.Position
			}
			words = append(words, opt("logo", path))
		}
		words = append(words, rawOptionWords(t.Raw, i)...)
	}
	if a := t.Audio; a != nil {
		if a.Codec != "" {
			words = append(words, opt("acodec", a.Codec))
		}
		if a.Bitrate != 0 {
			words = append(words, "ab="+FormatBitrate(a.Bitrate))
		}
		words = append(words, audioWords(a)...)
	}
	return words
}

// audioWords are the audio options after acodec= and ab=.
func audioWords(a *TranscoderAudio) []string {
	var words []string
	if a.Channels != 0 {
		words = append(words, "ac="+strconv.Itoa(a.Channels))
	}
	if a.SampleRate != 0 {
		words = append(words, "ar="+strconv.Itoa(a.SampleRate))
	}
	if a.Copy {
		words = append(words, "ab=copy")
	}
	return words
}

// videoCodecWords are a rendition's vcodec, preset and profile.
func videoCodecWords(v *TranscoderVideo) []string {
	var words []string
	for _, o := range [][2]string{{"vcodec", v.Codec}, {"preset", v.Preset}, {"profile", v.Profile}} {
		if o[1] != "" {
			words = append(words, opt(o[0], o[1]))
		}
	}
	return words
}

// rawOptionWords are the kept transcoder options that follow rendition i.
func rawOptionWords(raw []TranscoderOption, i int) []string {
	var words []string
	for _, o := range raw {
		if o.Rendition == i {
			words = append(words, opt(o.Key, o.Value))
		}
	}
	return words
}
