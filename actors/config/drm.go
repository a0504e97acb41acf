package config

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// DRM is drm_spec (`drm VENDOR key=value ...;` in a stream or template):
// the stream's outputs are encrypted with keys from the vendor's key
// server. Only the cpix vendor is built; a line naming another is kept as
// its text and refused (protection.go), never run in clear.
type DRM struct {
	Vendor string `json:"vendor"`
	// Keyserver is the CPIX endpoint (http or https). Its query may hold
	// the vendor's token: redacted like every URL.
	Keyserver string `json:"keyserver,omitempty"`
	// ResourceID is CPIX@contentId; empty: the stream's name.
	ResourceID string `json:"resource_id,omitempty"`
	// Expires is the key rotation period in minutes; 0: keys never rotate.
	Expires int `json:"expires,omitempty"`
	// EndUserCert and EndUserPrivateKey are the PEM files of our delivery
	// identity (Flussonic's names, from its KeyOS CPIX page): the key
	// server encrypts the content keys for this certificate. Both or
	// neither; the server refuses a configuration whose files it cannot
	// read (actors/keys.Recipient).
	EndUserCert       string `json:"end_user_cert,omitempty"`
	EndUserPrivateKey string `json:"end_user_private_key,omitempty"`
	// Clear names the outputs (play_protocols_spec's names: tshttp, jpeg,
	// mp4, mseld, webrtc, rtmp, rtsp, srt) that cannot be encrypted and the
	// operator lets out unencrypted (`clear=tshttp,jpeg`). Ours, not
	// Flussonic's: Flussonic serves every output it cannot encrypt in clear
	// unless it is switched off; a protected stream here refuses them
	// unless this names them.
	Clear []string `json:"clear,omitempty"`
	// TSMethod is how HLS MPEG-TS segments and parts are encrypted:
	// DRMTSAES128 (whole segments; also when empty) or DRMTSSampleAES
	// (Apple's SAMPLE-AES, FairPlay's for TS). Ours: Flussonic's docs name
	// both methods but no directive choosing one; the names are those its
	// manifest API reports (stream_drm_hls.method).
	TSMethod string `json:"ts_method,omitempty"`

	at map[string]position // where the parser read the line ("") and each option
}

// drmVendorCPIX is the one vendor built.
const drmVendorCPIX = "cpix"

// The drm line's ts_method= values.
const (
	DRMTSAES128    = "aes_128"
	DRMTSSampleAES = "sample_aes"
)

// parseDRM handles `drm VENDOR key=value ...;`.
func parseDRM(p *parser, s *stmt, m *MediaOptions) {
	if !p.noBlock(s) {
		return
	}
	if len(s.args) == 0 || s.args[0].option {
		p.errorf(s.name.pos, "drm: want a vendor first (drm cpix keyserver=URL ...)")
		return
	}
	if s.args[0].text != drmVendorCPIX {
		// Another vendor: kept as written, refused by Validate.
		m.Raw = append(m.Raw, RawDirective{Name: s.name.text, Text: s.text(p.lex.src), pos: s.name.pos})
		return
	}
	d := &DRM{Vendor: drmVendorCPIX, at: map[string]position{"": s.name.pos}}
	for _, a := range s.args[1:] {
		d.at[a.key] = a.pos
		switch {
		case a.option && a.key == "keyserver":
			d.Keyserver = a.val
		case a.option && a.key == "resource_id":
			d.ResourceID = a.val
		case a.option && a.key == "expires":
			n, err := strconv.Atoi(a.val)
			if err != nil || n <= 0 {
				p.errorf(a.pos, "drm: expires=%s: want a number of minutes", a.val)
			}
			d.Expires = n
		case a.option && a.key == "end_user_cert":
			d.EndUserCert = a.val
		case a.option && a.key == "end_user_private_key":
			d.EndUserPrivateKey = a.val
		case a.option && a.key == "clear":
			d.Clear = strings.Split(a.val, ",")
		case a.option && a.key == "ts_method":
			d.TSMethod = a.val
		default:
			p.errorf(a.pos, "drm cpix: unknown option %s; want keyserver=URL, resource_id=ID, expires=MINUTES, "+
				"end_user_cert=PATH, end_user_private_key=PATH, clear=OUTPUT,... or ts_method=METHOD", a.describe())
		}
	}
	m.DRM = d
}

// drmWords prints d as its line.
func drmWords(d *DRM) []string {
	words := []string{"drm", d.Vendor}
	if d.Keyserver != "" {
		words = append(words, opt("keyserver", d.Keyserver))
	}
	if d.ResourceID != "" {
		words = append(words, opt("resource_id", d.ResourceID))
	}
	if d.Expires != 0 {
		words = append(words, "expires="+strconv.Itoa(d.Expires))
	}
	if d.EndUserCert != "" {
		words = append(words, opt("end_user_cert", d.EndUserCert))
	}
	if d.EndUserPrivateKey != "" {
		words = append(words, opt("end_user_private_key", d.EndUserPrivateKey))
	}
	if len(d.Clear) > 0 {
		words = append(words, opt("clear", strings.Join(d.Clear, ",")))
	}
	if d.TSMethod != "" {
		words = append(words, opt("ts_method", d.TSMethod))
	}
	return words
}

// drm checks a stream's or template's drm line: the vendor built, a key
// server that is an http(s) URL, a positive rotation period, outputs and
// a TS method it knows.
func (v *validator) drm(p position, ptr string, d *DRM) {
	if d == nil {
		return
	}
	at := func(k string) position { return firstKnown(d.at[k], d.at[""], p) }
	if d.Vendor != drmVendorCPIX {
		v.needNamed("drm "+d.Vendor, "drm "+quoteIfNeeded(d.Vendor), at(""), ptr+"/drm/vendor")
		return
	}
	v.need("drm cpix", at(""), ptr+"/drm")
	u, err := url.Parse(d.Keyserver)
	switch {
	case d.Keyserver == "":
		v.add(at(""), ptr+"/drm/keyserver", "drm cpix: keyserver=URL is required")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		v.add(at("keyserver"), ptr+"/drm/keyserver", "drm cpix: keyserver %s is not an http(s) URL", RedactURL(d.Keyserver))
	}
	if d.Expires < 0 {
		v.add(at("expires"), ptr+"/drm/expires", "drm: expires=%d: want a positive number of minutes", d.Expires)
	}
	if (d.EndUserCert == "") != (d.EndUserPrivateKey == "") {
		v.add(at(""), ptr+"/drm", "drm cpix: end_user_cert= and end_user_private_key= go together")
	}
	for i, o := range d.Clear {
		if !slices.Contains(DRMClearOutputs, o) {
			v.add(at("clear"), ptr+"/drm/clear/"+strconv.Itoa(i),
				"drm: clear=%s: %q is no output that cannot be encrypted; want some of %s",
				strings.Join(d.Clear, ","), o, strings.Join(DRMClearOutputs, ","))
		}
	}
	if d.TSMethod != "" && d.TSMethod != DRMTSAES128 && d.TSMethod != DRMTSSampleAES {
		v.add(at("ts_method"), ptr+"/drm/ts_method", "drm: ts_method=%s: want %s or %s", d.TSMethod, DRMTSAES128, DRMTSSampleAES)
	}
}

// DRMClearOutputs are the outputs a protected stream cannot encrypt, which
// a drm line's clear= may let out: HLS and DASH are always encrypted.
var DRMClearOutputs = []string{"tshttp", "jpeg", "mp4", "mseld", "webrtc", "rtmp", "rtsp", "srt"}

// ErrorAt is a problem with option key of d (its position when d was
// parsed, else the line's) at JSON pointer ptr: for checks the server
// makes beyond the language's, such as reading the delivery identity's
// files.
func (d *DRM) ErrorAt(key, ptr, msg string) *Error {
	return errorAt(firstKnown(d.at[key], d.at[""]), ptr, "%s", msg)
}

// Equal reports whether d and o are the same drm line (positions aside);
// nil equals only nil.
func (d *DRM) Equal(o *DRM) bool { return d.equal(o) }

func (d *DRM) equal(o *DRM) bool {
	if d == nil || o == nil {
		return d == o
	}
	return d.Vendor == o.Vendor && d.Keyserver == o.Keyserver && d.ResourceID == o.ResourceID && d.Expires == o.Expires &&
		d.EndUserCert == o.EndUserCert && d.EndUserPrivateKey == o.EndUserPrivateKey && slices.Equal(d.Clear, o.Clear) &&
		d.TSMethod == o.TSMethod
}
