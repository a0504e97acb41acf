package web

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// Player is the playback technology the page uses; its value is the
// `protocols` name that switches the output it plays.
type Player string

// The players: hls.js (or the browser's own HLS), dash.js, our MSE-LD
// client and WebRTC over WHEP.
const (
	HLS    Player = "hls"
	DASH   Player = "dash"
	MSELD  Player = "mseld"
	WebRTC Player = "webrtc"
)

// ProtoPage is the `protocols` name of the page itself (Flussonic's
// play_protocols_spec calls embed.html "player").
const ProtoPage = "player"

// Bounds on a page's query: a browser sends a few options and a token.
const (
	maxQuery = 4096
	maxPairs = 64
)

// Errors of Parse and Choose.
var (
	ErrQuery    = errors.New("web: bad embed.html query")
	ErrDisabled = errors.New("web: no player protocol is enabled for the stream")
)

// Options are the page's query options.
type Options struct {
	Proto    Player // "": the page chooses
	Realtime bool   // a low-latency player: MSE-LD or WebRTC
	Autoplay bool   // default true
	Mute     bool
	Volume   int // 0..100; -1: the browser's
	// PlayDuration stops playback after so many seconds; 0: never.
	PlayDuration int
	// From and To (Unix seconds) play the archive: [From, To) as a VOD
	// playlist, or from From on (an absolute timeshift) without To.
	From, To int64
	// Ago opens a live playlist whose window reaches Ago seconds back, to
	// pause and rewind in.
	Ago int
	// Query is the request's query without the page's own options: what
	// the player's requests carry (the viewer's token and the like).
	Query string
	// Protected is the server's, never the query's: the stream's HLS is
	// encrypted, which hls.js decrypts itself only as MPEG-TS with
	// AES-128; LL-HLS's CBCS fMP4 would need the browser's EME.
	Protected bool
}

// pageKeys are the query keys the page reads itself. Flussonic's other
// embed options (dvr, localtime, export_limit, streams, start_track)
// belong to its DVR player, which this page is not; they are dropped too
// rather than sent to the playlist.
var pageKeys = map[string]bool{
	"proto": true, "realtime": true, "autoplay": true, "mute": true, "volume": true,
	"play_duration": true, "dvr": true, "localtime": true, "export_limit": true,
	"streams": true, "start_track": true, "ago": true, "from": true, "to": true,
}

// Parse reads a page's raw query string (undecoded, without '?').
func Parse(raw string) (Options, error) {
	o := Options{Autoplay: true, Volume: -1}
	if len(raw) > maxQuery || strings.Count(raw, "&") >= maxPairs {
		return o, ErrQuery
	}
	var kept []string
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil {
			return o, ErrQuery
		}
		if !pageKeys[key] {
			kept = append(kept, pair)
			continue
		}
		if err := o.set(key, val); err != nil {
			return o, err
		}
	}
	if o.To != 0 && (o.From == 0 || o.To <= o.From) || o.Ago != 0 && o.From != 0 {
		return o, ErrQuery // to without a later from; a rewind and a range at once
	}
	o.Query = strings.Join(kept, "&")
	return o, nil
}

// maxTime bounds from and to (Unix seconds, about the year 36812).
const maxTime = 1 << 40

// archive reports whether o asks for the archive or a rewind window,
// which only HLS and DASH play.
func (o Options) archive() bool { return o.From != 0 || o.Ago != 0 }

// set applies one page option.
func (o *Options) set(key, val string) error {
	var err error
	switch key {
	case "proto":
		o.Proto, err = parseProto(val)
	case "realtime":
		o.Realtime, err = parseBool(val, true)
	case "autoplay":
		o.Autoplay, err = parseBool(val, true)
	case "mute":
		o.Mute, err = parseBool(val, true)
	case "volume":
		o.Volume, err = parseInt(val, 100)
	case "play_duration":
		o.PlayDuration, err = parseInt(val, 1<<24)
	case "ago":
		o.Ago, err = parseInt(val, 1<<31-1)
	case "from", "to":
		var n int
		n, err = parseInt(val, maxTime)
		if key == "from" {
			o.From = int64(n)
		} else {
			o.To = int64(n)
		}
	}
	return err
}

func parseProto(v string) (Player, error) {
	switch p := Player(strings.ToLower(v)); p {
	case HLS, DASH, MSELD, WebRTC:
		return p, nil
	case "mse_ld":
		return MSELD, nil
	}
	return "", ErrQuery
}

// parseBool reads true/false, 1/0 and yes/no; an empty value (`?mute`)
// is empty, which means def.
func parseBool(v string, def bool) (bool, error) {
	switch strings.ToLower(v) {
	case "":
		return def, nil
	case "true", "1", "yes":
		return true, nil
	case "false", "0", "no":
		return false, nil
	}
	return false, ErrQuery
}

// parseInt reads a decimal in [0, limit].
func parseInt(v string, limit int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > limit {
		return 0, ErrQuery
	}
	return n, nil
}

// Choose picks the player: the one proto names if the stream allows it,
// else, as Flussonic's page does, one that works: for realtime MSE-LD
// then WebRTC, else HLS then DASH, then any other the stream allows. The
// archive (from, ago) plays over HLS or DASH only. enabled reports
// whether the stream's `protocols` directive allows an output.
func Choose(o Options, enabled func(protocol string) bool) (Player, error) {
	order := []Player{HLS, DASH, MSELD, WebRTC}
	switch {
	case o.archive():
		order = []Player{HLS, DASH}
		if o.Proto == DASH {
			order = []Player{DASH, HLS}
		}
	case o.Proto != "":
		order = append([]Player{o.Proto}, order...)
	case o.Realtime:
		order = []Player{MSELD, WebRTC, HLS, DASH}
	}
	for _, p := range order {
		if enabled(string(p)) {
			return p, nil
		}
	}
	return "", ErrDisabled
}
