package play

import (
	"bytes"
	"strings"

	"github.com/valyala/fasthttp"
)

// A session's query (sessions.Admission.ChildQuery: the viewer's token,
// or the one the server made up) must reach every URI a playlist or
// manifest lists, so that the player's next requests find the session.
// Playlists are rendered once per window and shared by every viewer
// (cache.go); the query is spliced into the shared bytes per request
// instead, at places found once per rendering: a splice is one copy,
// where a rendering is a full pass of formatting.

// cut is where a URI ends in a rendering: the query goes at `at`, after
// '?', or after '&' when the URI has a query already.
type cut struct {
	at  int
	amp bool
}

// rendering is a playlist or manifest and where its URIs end.
type rendering struct {
	body []byte
	cuts []cut
}

// playlistCuts finds the URIs of an M3U8 playlist: every line that is not
// a tag or blank (a variant's or a segment's URI), and every URI="..."
// attribute of a tag (EXT-X-MEDIA, EXT-X-MAP, EXT-X-PART,
// EXT-X-PRELOAD-HINT, EXT-X-RENDITION-REPORT).
func playlistCuts(b []byte) []cut {
	var cuts []cut
	for off := 0; off < len(b); {
		end := bytes.IndexByte(b[off:], '\n')
		if end < 0 {
			end = len(b) - off
		}
		line := b[off : off+end]
		switch {
		case len(line) == 0:
		case line[0] != '#':
			n := len(bytes.TrimRight(line, "\r"))
			cuts = append(cuts, cut{at: off + n, amp: bytes.IndexByte(line, '?') >= 0})
		default:
			cuts = appendAttrCuts(cuts, line, off, `URI="`)
		}
		off += end + 1
	}
	return cuts
}

// mpdCuts finds the URIs of an MPD: the SegmentTemplate's initialization
// and media attributes, which is everything our manifests address.
func mpdCuts(b []byte) []cut {
	var cuts []cut
	for _, attr := range []string{` initialization="`, ` media="`} {
		cuts = appendAttrCuts(cuts, b, 0, attr)
	}
	sortCuts(cuts)
	return cuts
}

// appendAttrCuts appends a cut before the closing quote of every attr
// (which ends with its opening quote) in b, which starts at off.
func appendAttrCuts(cuts []cut, b []byte, off int, attr string) []cut {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(attr))
		if j < 0 {
			return cuts
		}
		start := i + j + len(attr)
		k := bytes.IndexByte(b[start:], '"')
		if k < 0 {
			return cuts
		}
		v := b[start : start+k]
		cuts = append(cuts, cut{at: off + start + k, amp: bytes.IndexByte(v, '?') >= 0})
		i = start + k + 1
	}
}

// sortCuts orders cuts by position (insertion sort: a manifest has a few).
func sortCuts(cuts []cut) {
	for i := 1; i < len(cuts); i++ {
		for j := i; j > 0 && cuts[j].at < cuts[j-1].at; j-- {
			cuts[j], cuts[j-1] = cuts[j-1], cuts[j]
		}
	}
}

// splice returns r's body with q added to every URI; the body itself,
// not a copy, when q is empty. q must be ready to write (childQuery).
func (r rendering) splice(q string) []byte {
	if q == "" || len(r.cuts) == 0 {
		return r.body
	}
	out := make([]byte, 0, len(r.body)+len(r.cuts)*(len(q)+1))
	prev := 0
	for _, c := range r.cuts {
		out = append(out, r.body[prev:c.at]...)
		if c.amp {
			out = append(out, '&')
		} else {
			out = append(out, '?')
		}
		out = append(out, q...)
		prev = c.at
	}
	return append(out, r.body[prev:]...)
}

// writeSpliced answers 200 with r, q spliced into its URIs like splice
// does, but written piece by piece into the response's own body buffer,
// which fasthttp takes from a pool and keeps across the requests of a
// connection: a viewer's playlist costs no allocation for its body.
func writeSpliced(rc *fasthttp.RequestCtx, contentType, cache string, r rendering, q string) {
	if q == "" || len(r.cuts) == 0 {
		writeBody(rc, contentType, cache, r.body)
		return
	}
	writeBody(rc, contentType, cache, nil)
	prev := 0
	for _, c := range r.cuts {
		rc.Response.AppendBody(r.body[prev:c.at])
		if c.amp {
			rc.Response.AppendBodyString("&")
		} else {
			rc.Response.AppendBodyString("?")
		}
		rc.Response.AppendBodyString(q)
		prev = c.at
	}
	rc.Response.AppendBody(r.body[prev:])
}

// withQuery adds q to the URIs of an M3U8 playlist rendered for one
// request (the archive's, which are not cached).
func withQuery(b []byte, q string) []byte {
	if q == "" {
		return b
	}
	return rendering{body: b, cuts: playlistCuts(b)}.splice(q)
}

// withMPDQuery adds q (escaped for XML) to the URIs of an MPD.
func withMPDQuery(b []byte, q string) []byte {
	if q == "" {
		return b
	}
	return rendering{body: b, cuts: mpdCuts(b)}.splice(q)
}

// ownKey reports the query keys this package reads from a request itself and
// that must not travel on to the URIs it lists: the LL-HLS delivery
// directives, and the archive playlists' anchor.
func ownKey(k string) bool {
	return strings.HasPrefix(k, "_HLS_") || k == "a"
}

// childQuery turns an Admission's ChildQuery into what a playlist may
// carry: the playback directives of the request that asked for it
// removed (a segment must not inherit _HLS_msn), and every byte that is
// not safe inside a quoted playlist attribute or a URI percent-encoded,
// so a viewer's query can never break out of the URI it is spliced into.
// For an MPD, xml escapes '&' as well.
func childQuery(q string, xml bool) string {
	if q == "" {
		return ""
	}
	var b strings.Builder
	for kv := range strings.SplitSeq(q, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if kv == "" || ownKey(k) {
			continue
		}
		if b.Len() > 0 {
			if xml {
				b.WriteString("&amp;")
			} else {
				b.WriteByte('&')
			}
		}
		writeSafe(&b, kv)
	}
	return b.String()
}

// writeSafe writes s with every byte outside RFC 3986's unreserved and
// sub-delimiter characters (and '%', '=', ':', '@', '/') percent-encoded;
// '&' never occurs in s (it separates the pairs).
func writeSafe(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		if safeQueryByte(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
}

func safeQueryByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$()*+,;=:@/%?", c) >= 0
}
