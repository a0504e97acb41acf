// Package certstest is a test certificate authority for the TLS listeners'
// tests: a root, an intermediate, and server certificates for 127.0.0.1
// written where certs looks for them. Everything is generated when a test
// runs; nothing here is trusted outside it.
package certstest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Password is the password Flussonic's encrypted keys use (certs.Password).
const Password = "flussonic"

// PKI is a root CA and an intermediate it signed; Leaf issues server
// certificates from the intermediate.
type PKI struct {
	root, inter       *x509.Certificate
	rootKey, interKey *ecdsa.PrivateKey
	// Pool trusts the root only: a client using it verifies a leaf only
	// when the server sends the intermediate too.
	Pool *x509.CertPool
	// RootPEM is the root certificate, for clients that take a CA file.
	RootPEM []byte
}

// New makes a root and an intermediate.
func New(t testing.TB) *PKI {
	t.Helper()
	p := &PKI{rootKey: newKey(t), interKey: newKey(t)}
	p.root = sign(t, &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "StreamHive test root"},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}, nil, &p.rootKey.PublicKey, p.rootKey)
	p.inter = sign(t, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "StreamHive test intermediate"},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}, p.root, &p.interKey.PublicKey, p.rootKey)
	p.Pool = x509.NewCertPool()
	p.Pool.AddCert(p.root)
	p.RootPEM = certPEM(p.root)
	return p
}

// Leaf is one server certificate and its key, PEM encoded.
type Leaf struct {
	Serial int64
	Cert   []byte // the server certificate alone
	Chain  []byte // the intermediate and the root (streamer-ca.crt)
	Key    *ecdsa.PrivateKey
}

// Leaf issues a certificate for 127.0.0.1 and localhost with serial,
// which tests read back from the handshake to tell certificates apart.
func (p *PKI) Leaf(t testing.TB, serial int64) Leaf {
	t.Helper()
	key := newKey(t)
	cert := sign(t, &x509.Certificate{
		SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, p.inter, &key.PublicKey, p.interKey)
	return Leaf{Serial: serial, Cert: certPEM(cert), Chain: append(certPEM(p.inter), certPEM(p.root)...), Key: key}
}

// KeyPEM returns the key as PEM; encrypted with Password (legacy PEM
// encryption, DES-EDE3-CBC) when encrypt is set.
func (l Leaf) KeyPEM(t testing.TB, encrypt bool) []byte {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(l.Key)
	if err != nil {
		t.Fatal(err)
	}
	if !encrypt {
		return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
	}
	//nolint:staticcheck // the legacy format is what is under test
	block, err := x509.EncryptPEMBlock(rand.Reader, "EC PRIVATE KEY", der, []byte(Password), x509.PEMCipher3DES)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(block)
}

// Write writes the leaf the way Flussonic expects it in dir: STEM.crt,
// STEM.key (encrypted with Password when encrypt is set) and STEM-ca.crt,
// for stem "streamer" (or the older "flussonic").
func (l Leaf) Write(t testing.TB, dir, stem string, encrypt bool) {
	t.Helper()
	WriteFile(t, filepath.Join(dir, stem+".crt"), l.Cert)
	WriteFile(t, filepath.Join(dir, stem+".key"), l.KeyPEM(t, encrypt))
	WriteFile(t, filepath.Join(dir, stem+"-ca.crt"), l.Chain)
}

// ClientConfig trusts the root only and expects a certificate for
// 127.0.0.1.
func (p *PKI) ClientConfig() *tls.Config {
	return &tls.Config{RootCAs: p.Pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

// WriteFile writes b to path, failing the test on an error.
func WriteFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// PeerSerial returns the serial of the certificate a TLS connection's
// server sent.
func PeerSerial(c *tls.Conn) int64 {
	certs := c.ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return 0
	}
	return certs[0].SerialNumber.Int64()
}

func newKey(t testing.TB) *ecdsa.PrivateKey {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// sign makes tpl into a certificate signed by parent's key (self-signed
// when parent is nil), valid from an hour ago for a day.
func sign(t testing.TB, tpl, parent *x509.Certificate, pub *ecdsa.PublicKey, signer *ecdsa.PrivateKey) *x509.Certificate {
	t.Helper()
	tpl.NotBefore, tpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)
	if parent == nil {
		parent = tpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, parent, pub, signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}
