package drm

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// UUID formats a key id as the dashed lower-case UUID DASH signals.
func UUID(kid [16]byte) string {
	h := hex.EncodeToString(kid[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// dashNamespaces are declared on the MPD element of a protected MPD.
const dashNamespaces = ` xmlns:cenc="urn:mpeg:cenc:2013" xmlns:dashif="https://dashif.org/CPS"`

// DASHContentProtection returns the ContentProtection elements of an
// AdaptationSet protected by k: the mp4protection one with default_KID, one
// per DRM system with its pssh, and ClearKey's with its license URL
// (laURL; left out when empty).
func DASHContentProtection(k Key, scheme Scheme, laURL, indent string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s<ContentProtection schemeIdUri=\"urn:mpeg:dash:mp4protection:2011\" value=\"%s\" cenc:default_KID=\"%s\"/>\n",
		indent, scheme, UUID(k.KID))
	for _, s := range k.Signals {
		if s.SystemID == SystemFairPlay || s.SystemID == SystemClearKey {
			continue
		}
		fmt.Fprintf(&b, "%s<ContentProtection schemeIdUri=\"urn:uuid:%s\">", indent, s.SystemID)
		if len(s.PSSH) > 0 {
			fmt.Fprintf(&b, "<cenc:pssh>%s</cenc:pssh>", base64.StdEncoding.EncodeToString(s.PSSH))
		}
		b.WriteString("</ContentProtection>\n")
	}
	if laURL != "" {
		fmt.Fprintf(&b, "%s<ContentProtection schemeIdUri=\"urn:uuid:%s\" value=\"ClearKey1.0\"><dashif:Laurl Lic_type=\"EME-1.0\">%s</dashif:Laurl></ContentProtection>\n",
			indent, SystemClearKey, xmlEscape(laURL))
	}
	return b.String()
}

// ProtectMPD adds the ContentProtection of k to every audio and video
// AdaptationSet of an MPD that media/dash rendered, and the namespaces they
// use to its MPD element.
func ProtectMPD(mpd []byte, k Key, scheme Scheme, laURL string) ([]byte, error) {
	root := bytes.Index(mpd, []byte("<MPD "))
	if root < 0 {
		return nil, fmt.Errorf("drm: no MPD element")
	}
	cp := DASHContentProtection(k, scheme, laURL, "      ")
	out := make([]byte, 0, len(mpd)+len(dashNamespaces)+8*len(cp))
	out = append(out, mpd[:root+4]...)
	out = append(out, dashNamespaces...)
	for _, line := range bytes.SplitAfter(mpd[root+4:], []byte("\n")) {
		out = append(out, line...)
		trimmed := bytes.TrimSpace(line)
		if bytes.HasPrefix(trimmed, []byte("<AdaptationSet ")) && !bytes.Contains(trimmed, []byte(`contentType="image"`)) {
			out = append(out, cp...)
		}
	}
	return out, nil
}

// HLSKeyTags returns the EXT-X-KEY lines of a segment protected by k.
// AES-128 and SAMPLE-AES (MPEG-TS) name keyURI, the key URI we serve; CBCS
// (fMP4) gives one line per DRM system the key server signalled (FairPlay's
// skd://, Widevine's and PlayReady's pssh as data URIs) and, when keyURI is
// set, one for ClearKey players.
func HLSKeyTags(k Key, scheme Scheme, keyURI string) []string {
	switch scheme {
	case AES128:
		return []string{fmt.Sprintf("#EXT-X-KEY:METHOD=AES-128,URI=%q", keyURI)}
	case SampleAES:
		return []string{fmt.Sprintf("#EXT-X-KEY:METHOD=SAMPLE-AES,URI=%q,IV=0x%x", keyURI, SampleAESIV(k))}
	case CENC, CBCS:
	}
	kid := "0x" + hex.EncodeToString(k.KID[:])
	var tags []string
	for _, s := range k.Signals {
		if tag := systemKeyTag(s, kid); tag != "" {
			tags = append(tags, tag)
		}
	}
	if keyURI != "" {
		tags = append(tags, fmt.Sprintf("#EXT-X-KEY:METHOD=SAMPLE-AES,URI=%q,KEYID=%s,KEYFORMAT=\"org.w3.clearkey\",KEYFORMATVERSIONS=\"1\"", keyURI, kid))
	}
	return tags
}

// systemKeyTag is one DRM system's EXT-X-KEY for a CBCS segment: the key
// server's own HLS signalling when it gave one, else the pssh as a data URI.
func systemKeyTag(s Signal, kid string) string {
	format := s.HLSKeyFormat
	uri := s.HLSURI
	switch s.SystemID {
	case SystemFairPlay:
		if format == "" {
			format = "com.apple.streamingkeydelivery"
		}
	case SystemWidevine, SystemPlayReady:
		if format == "" {
			format = "urn:uuid:" + s.SystemID
		}
		if uri == "" && len(s.PSSH) > 0 {
			uri = "data:text/plain;base64," + base64.StdEncoding.EncodeToString(s.PSSH)
		}
	}
	if uri == "" || format == "" {
		return ""
	}
	return fmt.Sprintf("#EXT-X-KEY:METHOD=SAMPLE-AES,URI=%q,KEYID=%s,KEYFORMAT=%q,KEYFORMATVERSIONS=\"1\"", uri, kid, format)
}

func xmlEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
