package certs

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxFileSize bounds what Load reads from one PEM file: a key and a chain
// of a few certificates is a few kilobytes; a megabyte is a wrong file.
const maxFileSize = 1 << 20

// Load reads the certificate of f: Cert's certificates, then CA's, with
// the private key in Key (decrypted with Password when it is encrypted).
// The key must match the first certificate.
func Load(f Files) (*tls.Certificate, error) {
	chain, err := readPEM(f.Cert)
	if err != nil {
		return nil, err
	}
	if f.CA != "" {
		ca, err := readPEM(f.CA)
		if err != nil {
			return nil, err
		}
		chain = append(append(chain, '\n'), ca...)
	}
	rawKey, err := readPEM(f.Key)
	if err != nil {
		return nil, err
	}
	key, err := plainKey(rawKey, Password)
	if err != nil {
		return nil, fmt.Errorf("key %s: %w", f.Key, err)
	}
	cert, err := tls.X509KeyPair(chain, key)
	if err != nil {
		return nil, fmt.Errorf("certificate %s with key %s: %w", f.Cert, f.Key, err)
	}
	return &cert, nil
}

// readPEM reads a PEM file of at most maxFileSize bytes.
func readPEM(path string) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err // names the path
	}
	defer func() { _ = file.Close() }()
	b, err := io.ReadAll(io.LimitReader(file, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(b) > maxFileSize {
		return nil, fmt.Errorf("%s: larger than %d bytes: not a PEM certificate or key", path, maxFileSize)
	}
	return b, nil
}

// plainKey returns the PEM of the first private key in keyPEM, decrypted
// with password if it is encrypted: PKCS#8 (ENCRYPTED PRIVATE KEY, what
// OpenSSL 3's `openssl rsa -des3` writes) or legacy PEM encryption
// (Proc-Type: 4,ENCRYPTED, what OpenSSL 1 wrote).
func plainKey(keyPEM []byte, password string) ([]byte, error) {
	rest := keyPEM
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		switch {
		case block == nil:
			return nil, errors.New("no PEM private key")
		case block.Type == "ENCRYPTED PRIVATE KEY":
			der, err := decryptPKCS8(block.Bytes, password)
			if err != nil {
				return nil, err
			}
			return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
		case !strings.HasSuffix(block.Type, "PRIVATE KEY"):
			continue // EC PARAMETERS and the like come before the key
		case x509.IsEncryptedPEMBlock(block): //nolint:staticcheck // legacy PEM encryption is the format being read
			der, err := x509.DecryptPEMBlock(block, []byte(password)) //nolint:staticcheck // as above
			if err != nil {
				return nil, fmt.Errorf("decrypting with the password %q: %w", password, err)
			}
			return pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: der}), nil
		default:
			return pem.EncodeToMemory(block), nil
		}
	}
}
