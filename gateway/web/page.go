package web

import (
	"bytes"
	_ "embed"
	"html/template"
	"strconv"
)

//go:embed page.html
var pageText string

var pageTmpl = template.Must(template.New("embed.html").Parse(pageText))

// pageConfig is what the page's script reads (embed.js's start).
type pageConfig struct {
	Player Player `json:"player"`
	URL    string `json:"url"` // relative to the page
	// NativeURL is what a browser that plays HLS itself (Safari) opens
	// when URL is LL-HLS for hls.js; empty: URL.
	NativeURL string `json:"nativeURL,omitempty"`
	// LowLatency: URL is a live LL-HLS playlist, which the page holds at
	// the latency its PART-HOLD-BACK asks for (embed.js keepLive).
	LowLatency   bool `json:"lowLatency,omitempty"`
	Autoplay     bool `json:"autoplay"`
	Mute         bool `json:"mute"`
	Volume       int  `json:"volume"` // -1: the browser's
	PlayDuration int  `json:"playDuration"`
	Realtime     bool `json:"realtime"`
}

// sources is, per player, the file it opens live (relative to the page,
// which is /NAME/embed.html) and the scripts it needs besides embed.js.
var sources = map[Player]struct {
	file    string
	scripts []string
}{
	HLS:    {"index.m3u8", []string{"hls.min.js"}},
	DASH:   {"index.mpd", []string{"dash.mediaplayer.min.js"}},
	MSELD:  {"mse_ld", []string{"mseld-player.js"}},
	WebRTC: {"whep", nil},
}

// llFile is the live LL-HLS playlist that hls.js opens: 200 ms parts and
// blocking reloads put it under a second behind the live edge, where
// index.m3u8's whole segments keep it several seconds behind.
const llFile = "index.ll.m3u8"

// lowLatency reports whether player p plays o as live LL-HLS: hls.js
// live, unless the stream is protected (Options.Protected).
func lowLatency(p Player, o Options) bool {
	return p == HLS && !o.archive() && !o.Protected
}

// fileOf is the file player p opens for o: Flussonic's archive URLs for
// from/to (archive-FROM-DUR, a VOD playlist), from alone
// (timeshift_abs-FROM) and ago (rewind-AGO, a wide live window).
func fileOf(p Player, o Options) string {
	ext := ".m3u8"
	if p == DASH {
		ext = ".mpd"
	}
	switch {
	case o.To != 0:
		return "archive-" + strconv.FormatInt(o.From, 10) + "-" + strconv.FormatInt(o.To-o.From, 10) + ext
	case o.From != 0:
		return "timeshift_abs-" + strconv.FormatInt(o.From, 10) + ext
	case o.Ago != 0:
		return "rewind-" + strconv.Itoa(o.Ago) + ext
	}
	return sources[p].file
}

// Page renders the embed page of stream name for player p (from Choose)
// with options o.
func Page(name string, p Player, o Options) []byte {
	src := sources[p]
	u, native, ll := fileOf(p, o), "", lowLatency(p, o)
	if ll {
		native, u = u, llFile
	}
	if o.Query != "" {
		u += "?" + o.Query
		if native != "" {
			native += "?" + o.Query
		}
	}
	scripts := make([]string, 0, len(src.scripts)+1)
	for _, s := range append(src.scripts, "embed.js") {
		scripts = append(scripts, assetURL(s))
	}
	var b bytes.Buffer
	err := pageTmpl.Execute(&b, struct {
		Name    string
		Mute    bool
		Scripts []string
		Config  pageConfig
	}{name, o.Mute, scripts, pageConfig{
		Player: p, URL: u, NativeURL: native, LowLatency: ll, Autoplay: o.Autoplay, Mute: o.Mute, Volume: o.Volume,
		PlayDuration: o.PlayDuration, Realtime: o.Realtime,
	}})
	if err != nil { // the template and its data are ours: a bug
		panic("web: embed page template: " + err.Error())
	}
	return b.Bytes()
}
