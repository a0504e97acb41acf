package certs

import (
	"crypto/tls"
	"fmt"
	"strings"
)

// Versions returns the TLS versions a listener accepts for its
// ssl_protocols: tlsv1.2 and tlsv1.3, in any combination. None listed
// means both. The older versions Flussonic's schema also names (tlsv1,
// tlsv1.1) and SSL are refused: they are broken, and browsers and ffmpeg
// no longer need them.
func Versions(protocols []string) (minVersion, maxVersion uint16, err error) {
	if len(protocols) == 0 {
		return tls.VersionTLS12, tls.VersionTLS13, nil
	}
	for _, p := range protocols {
		var v uint16
		switch strings.ToLower(p) {
		case "tlsv1.2":
			v = tls.VersionTLS12
		case "tlsv1.3":
			v = tls.VersionTLS13
		case "sslv2", "sslv3", "tlsv1", "tlsv1.0", "tlsv1.1":
			return 0, 0, fmt.Errorf("ssl_protocols %s: versions before TLS 1.2 are insecure and not served; use tlsv1.2, tlsv1.3", p)
		default:
			return 0, 0, fmt.Errorf("ssl_protocols %q: unknown; want tlsv1.2, tlsv1.3", p)
		}
		if minVersion == 0 || v < minVersion {
			minVersion = v
		}
		maxVersion = max(maxVersion, v)
	}
	return minVersion, maxVersion, nil
}
