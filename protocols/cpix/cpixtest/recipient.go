package cpixtest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"time"

	"streamhive/protocols/cpix"
)

// NewRecipient makes a self-signed RSA certificate and its key: a
// packager's delivery identity for tests of encrypted content keys.
func NewRecipient() (*cpix.Recipient, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "streamhive packager (test)"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageKeyEncipherment,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &cpix.Recipient{Cert: cert, Key: key}, nil
}

// RecipientPEM is r's certificate and private key as PEM files' bytes
// (end_user_cert=, end_user_private_key=).
func RecipientPEM(r *cpix.Recipient) (cert, key []byte) {
	cert = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: r.Cert.Raw})
	key = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(r.Key)})
	return cert, key
}
