package config

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
)

// Thumbnails is thumbnails_spec (`thumbnails enabled=ondemand
// size=320x240;`): the JPEG thumbnails of the stream's keyframes, served at
// images-WxH/... and announced as the image track of the HLS and DASH
// manifests. A stream without the directive has none.
type Thumbnails struct {
	// URL: Flussonic takes each thumbnail from a camera's URL instead; kept,
	// not applied (the thumbnails come from the stream's own keyframes).
	URL string `json:"url,omitempty"`
	// Enabled is true (the default), false (thumbnail URLs answer 403) or
	// ondemand. StreamHive makes every thumbnail on demand from the recent
	// keyframes, so true and ondemand serve the same.
	Enabled ThumbnailsMode `json:"enabled,omitempty"`
	// Sizes are the boxes the image tracks announce; thumbnails of any box
	// are served.
	Sizes []ThumbnailSize `json:"sizes,omitempty"`

	pos position // where the parser read it; zero when it came from JSON
}

// ThumbnailSize is thumbnails_size_spec: a box a thumbnail is fitted into.
type ThumbnailSize struct {
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
}

// String is WxH, as the file and the URLs spell it.
func (s ThumbnailSize) String() string {
	return strconv.Itoa(s.Width) + "x" + strconv.Itoa(s.Height)
}

// ThumbnailsMode is thumbnails_enabled_spec: true, false or "ondemand". The
// zero value is the default, true.
type ThumbnailsMode string

// The values of ThumbnailsMode.
const (
	ThumbnailsOn       ThumbnailsMode = "true"
	ThumbnailsOff      ThumbnailsMode = "false"
	ThumbnailsOnDemand ThumbnailsMode = "ondemand"
)

// maxThumbnailSide bounds a thumbnail box: a 4K frame's side.
const maxThumbnailSide = 4096

// On reports whether t serves thumbnails: the directive is there and not
// enabled=false. A nil *Thumbnails is off.
func (t *Thumbnails) On() bool { return t != nil && t.Enabled != ThumbnailsOff }

// MarshalJSON writes true and false as booleans, ondemand as a string.
func (m ThumbnailsMode) MarshalJSON() ([]byte, error) {
	if m == ThumbnailsOnDemand {
		return json.Marshal(string(m))
	}
	return json.Marshal(m != ThumbnailsOff)
}

// UnmarshalJSON reads true, false or "ondemand".
func (m *ThumbnailsMode) UnmarshalJSON(b []byte) error {
	var on bool
	if json.Unmarshal(b, &on) == nil {
		*m = ThumbnailsOff
		if on {
			*m = ThumbnailsOn
		}
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) != nil || ThumbnailsMode(s) != ThumbnailsOnDemand {
		return errors.New("thumbnails: enabled is true, false or \"ondemand\"")
	}
	*m = ThumbnailsOnDemand
	return nil
}

// parseThumbnails handles `thumbnails;` and its options enabled=,
// size=WxH (one per box) and url=.
func parseThumbnails(p *parser, s *stmt, m *MediaOptions) {
	if !p.noBlock(s) {
		return
	}
	t := &Thumbnails{pos: s.name.pos}
	for _, a := range s.args {
		switch {
		case a.option && a.key == "enabled":
			t.Enabled = p.thumbnailsMode(a)
		case a.option && a.key == "size":
			if sz, ok := parseThumbnailSize(a.val); ok {
				t.Sizes = append(t.Sizes, sz)
			} else {
				p.errorf(a.valPos(), "thumbnails: size %s: expected WIDTHxHEIGHT, each 1 to %d", quoteIfNeeded(a.val), maxThumbnailSide)
			}
		case a.option && a.key == "url":
			t.URL = a.val
		default:
			p.errorf(a.pos, "thumbnails: unknown option %s; want enabled=, size= or url=", a.describe())
		}
	}
	m.Thumbnails = t
}

func (p *parser) thumbnailsMode(a token) ThumbnailsMode {
	switch v := ThumbnailsMode(a.val); v {
	case ThumbnailsOn, ThumbnailsOff, ThumbnailsOnDemand:
		return v
	}
	p.errorf(a.valPos(), "thumbnails: enabled=%s: expected true, false or ondemand", quoteIfNeeded(a.val))
	return ""
}

// parseThumbnailSize reads WxH.
func parseThumbnailSize(v string) (ThumbnailSize, bool) {
	ws, hs, ok := strings.Cut(v, "x")
	w, errW := strconv.Atoi(ws)
	h, errH := strconv.Atoi(hs)
	if !ok || errW != nil || errH != nil || w < 1 || h < 1 || w > maxThumbnailSide || h > maxThumbnailSide {
		return ThumbnailSize{}, false
	}
	return ThumbnailSize{Width: w, Height: h}, true
}

// thumbnailsWords prints t as its line.
func thumbnailsWords(t *Thumbnails) []string {
	words := []string{"thumbnails"}
	if t.Enabled != "" {
		words = append(words, opt("enabled", string(t.Enabled)))
	}
	for _, s := range t.Sizes {
		words = append(words, opt("size", s.String()))
	}
	if t.URL != "" {
		words = append(words, opt("url", t.URL))
	}
	return words
}

// validThumbnails checks what JSON may carry and the file cannot: sizes
// within bounds.
func validThumbnails(t *Thumbnails) error {
	for _, s := range t.Sizes {
		if _, ok := parseThumbnailSize(s.String()); !ok {
			return errors.New("thumbnails: size " + s.String() + " is not WIDTHxHEIGHT, each 1 to " + strconv.Itoa(maxThumbnailSide))
		}
	}
	return nil
}

func (t *Thumbnails) clone() *Thumbnails {
	if t == nil {
		return nil
	}
	c := *t
	c.Sizes = slices.Clone(t.Sizes)
	return &c
}

func (t *Thumbnails) equal(o *Thumbnails) bool {
	if t == nil || o == nil {
		return t == o
	}
	return t.URL == o.URL && t.Enabled == o.Enabled && slices.Equal(t.Sizes, o.Sizes)
}
