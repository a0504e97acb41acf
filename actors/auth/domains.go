package auth

import (
	"fmt"
	"net/url"
	"strings"
)

// maxReferer bounds the Referer we parse.
const maxReferer = 4096

// domainList is auth_spec's `domains`: the sites whose pages may embed
// the stream, checked against the Referer the player sends. An entry
// allows its host and every subdomain ("mycompany.com" allows
// "www.mycompany.com"; "*.mycompany.com" is read as "mycompany.com").
//
// A request without a Referer passes: Flussonic documents that the check
// "does not work for those clients that do not pass the value of Referer"
// (set-top boxes, ffmpeg, native apps send none). A Referer that names
// another site, or no host at all, is denied.
type domainList []string

func newDomainList(entries []string) (domainList, error) {
	out := make(domainList, 0, len(entries))
	for _, e := range entries {
		d := strings.ToLower(strings.TrimSpace(e))
		d = strings.TrimPrefix(strings.TrimPrefix(d, "*."), ".")
		if d == "" || strings.ContainsAny(d, "/:?# ") {
			return nil, fmt.Errorf("%w: domain %q: want a host name", ErrRule, e)
		}
		out = append(out, d)
	}
	return out, nil
}

// allows reports whether referer passes the list.
func (l domainList) allows(referer string) bool {
	if len(l) == 0 || referer == "" {
		return true
	}
	host, ok := refererHost(referer)
	if !ok {
		return false
	}
	for _, d := range l {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// refererHost is the lower-case host of a Referer: a URL, or a bare host
// as auth-backend.yaml's example shows ("hey.com").
func refererHost(referer string) (string, bool) {
	if len(referer) > maxReferer {
		return "", false
	}
	if !strings.Contains(referer, "://") {
		referer = "http://" + referer
	}
	u, err := url.Parse(referer)
	if err != nil {
		return "", false
	}
	host := u.Hostname()
	for i := 0; i < len(host); i++ {
		if host[i] >= 0x80 { // browsers send IDNs as punycode; anything else matches no domain
			return "", false
		}
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	return host, host != ""
}
