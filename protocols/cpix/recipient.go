package cpix

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// maxPEMBytes bounds a delivery certificate or key file.
const maxPEMBytes = 64 << 10

// ErrRecipient wraps a delivery certificate or key that cannot be used.
var ErrRecipient = errors.New("cpix: delivery identity")

// LoadRecipient builds our delivery identity from its PEM files' bytes
// (Flussonic's end_user_cert= and end_user_private_key=): an X.509
// certificate with an RSA public key and the private key that matches it,
// PKCS #1 or PKCS #8.
func LoadRecipient(certPEM, keyPEM []byte) (*Recipient, error) {
	if len(certPEM) > maxPEMBytes || len(keyPEM) > maxPEMBytes {
		return nil, fmt.Errorf("%w: file over %d bytes", ErrRecipient, maxPEMBytes)
	}
	cb, _ := pem.Decode(certPEM)
	if cb == nil || cb.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("%w: certificate: no PEM CERTIFICATE block", ErrRecipient)
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: certificate: %w", ErrRecipient, err)
	}
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: certificate: not an RSA key (RSA-OAEP delivery)", ErrRecipient)
	}
	key, err := parseRSAKey(keyPEM)
	if err != nil {
		return nil, err
	}
	if !key.PublicKey.Equal(pub) {
		return nil, fmt.Errorf("%w: the private key does not match the certificate", ErrRecipient)
	}
	return &Recipient{Cert: cert, Key: key}, nil
}

func parseRSAKey(keyPEM []byte) (*rsa.PrivateKey, error) {
	kb, _ := pem.Decode(keyPEM)
	if kb == nil {
		return nil, fmt.Errorf("%w: private key: no PEM block", ErrRecipient)
	}
	if k, err := x509.ParsePKCS1PrivateKey(kb.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: private key: neither PKCS #1 nor PKCS #8", ErrRecipient)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: private key: not RSA", ErrRecipient)
	}
	return rk, nil
}
