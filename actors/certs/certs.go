// Package certs finds and loads the certificates of the TLS listeners
// (https, rtmps, rtsps) the way Flussonic documents them, and hands them to
// new connections through tls.Config.GetCertificate, so that a reload
// (SIGHUP) renews them without closing a port.
//
// Where a listener's certificate comes from, in order:
//   - its own listen_ssl_config: certificate (the certificate, optionally
//     followed by its chain, e.g. Let's Encrypt's fullchain.pem) and
//     certificate_key (its key); relative paths are taken from the config
//     file's directory;
//   - otherwise the files next to the config file: streamer.key (the key,
//     plain or encrypted with the password "flussonic"), streamer.crt (the
//     certificate) and streamer-ca.crt (the intermediate and CA
//     certificates, optional); older Flussonic releases named them
//     flussonic.key, flussonic.crt and flussonic-ca.crt, which are taken
//     when streamer.crt is absent.
//
// Plain Go, no actors: actors/server and cmd build the listeners' TLS
// configurations from it before anything listens.
package certs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"streamhive/actors/config"
)

// Password is the passphrase Flussonic documents for an encrypted key
// (`openssl rsa -des3 -in server.key -out streamer.key`).
const Password = "flussonic"

// ErrNoCertificate means a TLS listener has no certificate: neither its
// own certificate fields nor the default files next to the config file.
var ErrNoCertificate = errors.New("no certificate")

// Files names the PEM files of one certificate.
type Files struct {
	Cert string // the certificate, optionally followed by its chain
	Key  string // its private key, plain or encrypted with Password
	CA   string // intermediate and CA certificates to send after Cert; "" when none
}

// defaultNames are the default file stems in the config's directory, in
// the order they are looked for: Flussonic's current names, then older
// releases' names.
var defaultNames = []string{"streamer", "flussonic"}

// Locate returns the files of listener l's certificate: l's own
// certificate and certificate_key (relative to dir), or the first default
// set in dir whose .crt exists. A set without its -ca.crt has no chain
// file. It does not read the files; Load does.
func Locate(dir string, l config.Listen) (Files, error) {
	switch {
	case l.Certificate != "" && l.CertificateKey != "":
		return Files{Cert: inDir(dir, l.Certificate), Key: inDir(dir, l.CertificateKey)}, nil
	case l.Certificate != "":
		return Files{}, fmt.Errorf("certificate %s without certificate_key", l.Certificate)
	case l.CertificateKey != "":
		return Files{}, fmt.Errorf("certificate_key %s without certificate", l.CertificateKey)
	}
	for _, stem := range defaultNames {
		f := Files{
			Cert: filepath.Join(dir, stem+".crt"),
			Key:  filepath.Join(dir, stem+".key"),
			CA:   filepath.Join(dir, stem+"-ca.crt"),
		}
		if !exists(f.Cert) {
			continue
		}
		if !exists(f.CA) {
			f.CA = ""
		}
		return f, nil
	}
	return Files{}, fmt.Errorf("%w: neither the listener's certificate and certificate_key nor %s (or %s) in %s",
		ErrNoCertificate, "streamer.crt and streamer.key", "flussonic.crt and flussonic.key", displayDir(dir))
}

func inDir(dir, path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	return filepath.Join(dir, path)
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

func displayDir(dir string) string {
	if dir == "" {
		return "the working directory"
	}
	return dir
}
