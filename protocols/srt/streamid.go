package srt

import "strings"

// StreamID is what a caller's streamid asks for.
type StreamID struct {
	Name string // the stream ("r=" in the access-control form)
	Mode string // "publish", "request", or "" when not given
	// Password is the access-control form's password=, which publishers
	// present to a stream protected by `password` or on_publish; "" when
	// not given.
	Password string
	// User is u=: Flussonic takes it as the viewer's token for the
	// session's authorization; "" when not given.
	User string
	// UserAgent is a=, the caller's user agent; "" when not given.
	UserAgent string
}

// MaxStreamID is the longest streamid read (SRT's own limit: 512
// characters); a longer one is malformed.
const MaxStreamID = 512

// ParseStreamID reads a streamid in libsrt's access-control syntax
// (docs/features/access-control.md: "#!::" then comma-separated key=value
// pairs; r= is the resource, m= the mode) or in the plain form, where the
// whole string is the stream name. Flussonic's encoders send both. An
// access-control streamid without r= has an empty Name; unknown keys
// (s=, h=, t=) are ignored. ok is false for a streamid over MaxStreamID
// and for an access-control streamid that is malformed (a pair without
// "="). The
// name keeps its inner slashes (r=client15/published1) and loses the ones
// around it, as an RTSP path does.
func ParseStreamID(s string) (id StreamID, ok bool) {
	if len(s) > MaxStreamID {
		return StreamID{}, false
	}
	rest, ac := strings.CutPrefix(s, "#!::")
	if !ac {
		return StreamID{Name: strings.Trim(s, "/")}, true
	}
	if rest == "" {
		return id, true
	}
	for pair := range strings.SplitSeq(rest, ",") {
		k, v, found := strings.Cut(pair, "=")
		if !found {
			return StreamID{}, false
		}
		switch k {
		case "r":
			id.Name = strings.Trim(v, "/")
		case "m":
			id.Mode = v
		case "password":
			id.Password = v
		case "u":
			id.User = v
		case "a":
			id.UserAgent = v
		}
	}
	return id, true
}

// Publishing reports whether the caller wants to publish: m=publish, or no
// mode at all (an encoder that only names the stream).
func (id StreamID) Publishing() bool { return id.Mode == "" || id.Mode == "publish" }
