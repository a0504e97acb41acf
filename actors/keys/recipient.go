package keys

import (
	"fmt"
	"io"
	"os"

	"streamhive/actors/config"
	"streamhive/protocols/cpix"
)

// Recipient reads d's delivery identity (end_user_cert=,
// end_user_private_key=): nil without one. On failure it names the
// option whose file is at fault, so the configuration is refused at its
// position (actors/server checks every drm line before running it).
func Recipient(d *config.DRM) (r *cpix.Recipient, option string, err error) {
	if d == nil || (d.EndUserCert == "" && d.EndUserPrivateKey == "") {
		return nil, "", nil
	}
	cert, err := readPEM(d.EndUserCert)
	if err != nil {
		return nil, "end_user_cert", err
	}
	key, err := readPEM(d.EndUserPrivateKey)
	if err != nil {
		return nil, "end_user_private_key", err
	}
	r, err = cpix.LoadRecipient(cert, key)
	if err != nil {
		return nil, "end_user_private_key", fmt.Errorf("drm cpix: %s, %s: %w", d.EndUserCert, d.EndUserPrivateKey, err)
	}
	return r, "", nil
}

// maxIdentityFile bounds what is read of a certificate or key file.
const maxIdentityFile = 64 << 10

func readPEM(path string) ([]byte, error) {
	if path == "" {
		return nil, fmt.Errorf("drm cpix: end_user_cert= and end_user_private_key= go together")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("drm cpix: %w", err)
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, maxIdentityFile+1))
	if err != nil {
		return nil, fmt.Errorf("drm cpix: reading %s: %w", path, err)
	}
	if len(b) > maxIdentityFile {
		return nil, fmt.Errorf("drm cpix: %s is over %d bytes", path, maxIdentityFile)
	}
	return b, nil
}
