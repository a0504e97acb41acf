package config

import (
	"path/filepath"
	"strconv"
	"strings"
)

// MaxNameLength is the longest stream, template or DVR name, in bytes.
// Flussonic's documentation limits the characters of a name but gives no
// length; 255 keeps a name one file name long where it is one (a DVR's
// folder), and every URL that carries it (playlists, archive ranges, the
// API's /streams/NAME/...) far under the HTTP server's 4 KiB request
// header limit, past which a stream could be created but never read or
// deleted.
const MaxNameLength = 255

// names refuses the names and paths that would break later: names too
// long or with characters Flussonic's documentation does not allow, and
// DVR roots that are not absolute.
func (v *validator) names() {
	for i := range v.s.Streams {
		st := &v.s.Streams[i]
		ptr := "/streams/" + strconv.Itoa(i)
		v.name(st.pos, ptr, "stream", st.Name, checkMediaName(st.Name) == "")
		v.streamDVRRoot(st.pos, ptr, st.DVR)
	}
	for i := range v.s.Templates {
		t := &v.s.Templates[i]
		ptr := "/templates/" + strconv.Itoa(i)
		v.name(t.pos, ptr, "template", t.Name, checkMediaName(t.Name) == "")
		v.streamDVRRoot(t.pos, ptr, t.DVR)
	}
	for i := range v.s.DVRs {
		d := &v.s.DVRs[i]
		ptr := "/dvrs/" + strconv.Itoa(i)
		v.name(d.pos, ptr, "dvr", d.Name, !strings.ContainsAny(d.Name, " \t\r\n/@"))
		v.absolute(d.pos, ptr+"/root", d.Root)
		for j, disk := range d.Disks {
			v.absolute(d.pos, ptr+"/disks/"+strconv.Itoa(j)+"/path", disk.Path)
		}
	}
}

// name checks one name's length and characters: Latin letters, digits,
// '.', '-' and '_', as Flussonic documents, and '/' in stream and
// template names, which sit under templates' prefixes (a DVR's name is
// one folder). Its characters are left alone when the checks of
// validate.go already refused the name (checked false).
func (v *validator) name(p position, ptr, kind, name string, checked bool) {
	if len(name) > MaxNameLength {
		v.add(p, ptr+"/name", "%s name %s is %d bytes long; at most %d", kind, shorten(name), len(name), MaxNameLength)
		return
	}
	slashes := kind != "dvr"
	for _, r := range name {
		if checked && !nameRune(r, slashes) {
			v.add(p, ptr+"/name", "%s name %q contains %q: use Latin letters, digits, '.', '-', '_'%s",
				kind, name, r, map[bool]string{true: " and '/'", false: ""}[slashes])
			return
		}
	}
}

// ValidStreamName reports whether name is one the configuration would
// accept for a stream: what a publisher may create under a template's
// prefix (Dynamic) without writing a line the file would refuse.
func ValidStreamName(name string) bool {
	if len(name) > MaxNameLength || checkMediaName(name) != "" {
		return false
	}
	for _, r := range name {
		if !nameRune(r, true) {
			return false
		}
	}
	return true
}

func nameRune(r rune, slashes bool) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	case r == '.', r == '-', r == '_':
		return true
	}
	return slashes && r == '/'
}

// shorten quotes the start of a name too long to repeat in a message.
func shorten(name string) string {
	const keep = 32
	if len(name) <= keep {
		return strconv.Quote(name)
	}
	return strconv.Quote(name[:keep]) + "..."
}

func (v *validator) streamDVRRoot(p position, ptr string, d *StreamDVR) {
	if d != nil {
		v.absolute(p, ptr+"/dvr/root", d.Root)
	}
}

// absolute refuses a relative DVR path: it would depend on the folder the
// server was started from, which a service manager chooses, not the
// operator who wrote the file.
func (v *validator) absolute(p position, ptr, path string) {
	if path != "" && !filepath.IsAbs(path) {
		v.add(p, ptr, "dvr path %q is relative: write it absolute (it would depend on the folder the server starts in)", path)
	}
}
