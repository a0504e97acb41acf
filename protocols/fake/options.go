package fake

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ErrBadURL is returned by Pull for a URL it cannot use.
var ErrBadURL = errors.New("fake: bad url")

// Limits on the options, so that a typo cannot ask for a picture the
// encoder refuses or a machine cannot afford.
const (
	maxWidth, maxHeight = 3840, 2160
	maxFPS              = 120
)

// options are a fake:// URL's settings.
type options struct {
	width, height int
	fps, gop      int
	bitrate       int
	tone          int
	name          string
	nameInQuery   bool
}

func parseURL(raw string) (options, error) {
	o := options{width: 640, height: 360, fps: 25, tone: 1000}
	u, err := url.Parse(raw)
	if err != nil {
		return o, fmt.Errorf("%w: %w", ErrBadURL, err)
	}
	if u.Scheme != "fake" {
		return o, fmt.Errorf("%w: scheme %q, want fake", ErrBadURL, u.Scheme)
	}
	o.name = strings.Trim(u.Host+u.Path, "/")
	q := u.Query()
	if s := q.Get("size"); s != "" {
		w, h, ok := strings.Cut(s, "x")
		o.width, err = strconv.Atoi(w)
		if err == nil {
			o.height, err = strconv.Atoi(h)
		}
		if !ok || err != nil || o.width < 16 || o.height < 16 || o.width > maxWidth || o.height > maxHeight ||
			o.width%2 != 0 || o.height%2 != 0 {
			return o, fmt.Errorf("%w: size %q: want WIDTHxHEIGHT, even, 16x16 to %dx%d", ErrBadURL, s, maxWidth, maxHeight)
		}
	}
	for _, opt := range []struct {
		key      string
		dst      *int
		min, max int
	}{
		{"fps", &o.fps, 1, maxFPS},
		{"gop", &o.gop, 1, 100 * maxFPS},
		{"bitrate", &o.bitrate, 10000, 100_000_000},
		{"tone", &o.tone, 0, 20000},
	} {
		s := q.Get(opt.key)
		if s == "" {
			continue
		}
		v, err := strconv.Atoi(s)
		if err != nil || v < opt.min || v > opt.max {
			return o, fmt.Errorf("%w: %s=%q: want an integer from %d to %d", ErrBadURL, opt.key, s, opt.min, opt.max)
		}
		*opt.dst = v
	}
	if o.gop == 0 {
		o.gop = o.fps
	}
	if n := q.Get("name"); n != "" {
		o.name, o.nameInQuery = n, true
	}
	return o, nil
}
