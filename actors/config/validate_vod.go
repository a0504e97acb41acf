package config

import (
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
)

// vods checks the VOD locations: a prefix that is one URL path element
// and unique, at least one storage, each an absolute folder or an
// http(s) URL (a storage we cannot read would serve nothing), and an
// absolute cache folder, a segment_duration Flussonic allows.
func (v *validator) vods() {
	seen := map[string]bool{}
	for i := range v.s.VODs {
		l := &v.s.VODs[i]
		ptr := "/vods/" + strconv.Itoa(i)
		v.name(l.pos, ptr, "vod", l.Prefix, checkMediaName(l.Prefix) == "" && !strings.Contains(l.Prefix, "/"))
		if seen[l.Prefix] {
			v.add(l.pos, ptr+"/prefix", "vod %q is defined twice", l.Prefix)
		}
		seen[l.Prefix] = true
		if len(l.Storages) == 0 {
			v.add(l.pos, ptr+"/storages", "vod %q has no storage", l.Prefix)
		}
		for j, s := range l.Storages {
			at := l.pos
			if j < len(l.stoPos) {
				at = l.stoPos[j]
			}
			if why := storageProblem(s.URL); why != "" {
				v.add(at, ptr+"/storages/"+strconv.Itoa(j)+"/url", "vod %q storage %s: %s", l.Prefix, RedactURL(s.URL), why)
			}
		}
		if d := l.SegmentDuration; d != 0 && (d < minSegmentDuration || d > maxSegmentDuration) {
			v.add(l.pos, ptr+"/segment_duration", "vod %q segment_duration %dms out of range %d..%dms (1..15 s)", l.Prefix, d, minSegmentDuration, maxSegmentDuration)
		}
		if c := l.Cache; c != nil && !filepath.IsAbs(c.Path) {
			v.add(c.pos, ptr+"/cache/path", "vod %q cache %q: write the folder absolute", l.Prefix, c.Path)
		}
	}
}

// storageProblem says why a storage URL cannot be read; "" when it can.
func storageProblem(s string) string {
	if filepath.IsAbs(s) {
		return ""
	}
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Scheme == "":
		return "want an absolute folder or an http(s) URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "no storage reads " + u.Scheme + "://"
	case u.Host == "":
		return "the URL names no host"
	}
	return ""
}
