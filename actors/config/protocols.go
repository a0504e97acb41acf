package config

// protocolField names one field of Protocols as the file and the API spell
// it (`protocols hls dash;`).
type protocolField struct {
	name string
	get  func(*Protocols) **bool
}

// protocolFields is every field of Protocols, in the order the printer
// writes them.
var protocolFields = []protocolField{
	{"hls", func(p *Protocols) **bool { return &p.HLS }},
	{"dash", func(p *Protocols) **bool { return &p.DASH }},
	{"rtmp", func(p *Protocols) **bool { return &p.RTMP }},
	{"rtsp", func(p *Protocols) **bool { return &p.RTSP }},
	{"tshttp", func(p *Protocols) **bool { return &p.TSHTTP }},
	{"webrtc", func(p *Protocols) **bool { return &p.WebRTC }},
	{"srt", func(p *Protocols) **bool { return &p.SRT }},
	{"mp4", func(p *Protocols) **bool { return &p.MP4 }},
	{"jpeg", func(p *Protocols) **bool { return &p.JPEG }},
	{"player", func(p *Protocols) **bool { return &p.Player }},
	{"mseld", func(p *Protocols) **bool { return &p.MSELD }},
}

func protocolByName(name string) (protocolField, bool) {
	for _, f := range protocolFields {
		if f.name == name {
			return f, true
		}
	}
	return protocolField{}, false
}

// Enabled reports whether protocol name (hls, dash, rtmp, ...) may be
// played: a nil *Protocols or a nil field means on.
func (p *Protocols) Enabled(name string) bool {
	if p == nil {
		return true
	}
	f, ok := protocolByName(name)
	if !ok {
		return true
	}
	v := *f.get(p)
	return v == nil || *v
}
