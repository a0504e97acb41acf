package certs

import (
	"bytes"
	"crypto/rsa"
	"crypto/tls"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"streamhive/actors/certs/certstest"
	"streamhive/actors/config"
)

func TestLocate(t *testing.T) {
	dir := t.TempDir()
	streamer, old := t.TempDir(), t.TempDir()
	leaf := certstest.New(t).Leaf(t, 7)
	leaf.Write(t, streamer, "streamer", false)
	leaf.Write(t, streamer, "flussonic", false) // streamer wins
	leaf.Write(t, old, "flussonic", false)
	if err := os.Remove(filepath.Join(old, "flussonic-ca.crt")); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		dir  string
		l    config.Listen
		want Files
		err  string
	}{
		{
			"own files", dir,
			config.Listen{Certificate: "/le/fullchain.pem", CertificateKey: "/le/privkey.pem"},
			Files{Cert: "/le/fullchain.pem", Key: "/le/privkey.pem"},
			"",
		},
		{
			"own relative files", dir,
			config.Listen{Certificate: "tls/a.crt", CertificateKey: "tls/a.key"},
			Files{Cert: filepath.Join(dir, "tls/a.crt"), Key: filepath.Join(dir, "tls/a.key")},
			"",
		},
		{"certificate alone", dir, config.Listen{Certificate: "a.crt"}, Files{}, "without certificate_key"},
		{"key alone", dir, config.Listen{CertificateKey: "a.key"}, Files{}, "without certificate"},
		{"streamer defaults", streamer, config.Listen{}, Files{
			Cert: filepath.Join(streamer, "streamer.crt"), Key: filepath.Join(streamer, "streamer.key"),
			CA: filepath.Join(streamer, "streamer-ca.crt"),
		}, ""},
		{"older names, no chain file", old, config.Listen{}, Files{
			Cert: filepath.Join(old, "flussonic.crt"), Key: filepath.Join(old, "flussonic.key"),
		}, ""},
		{"nothing", dir, config.Listen{}, Files{}, "streamer.crt"},
	} {
		got, err := Locate(tt.dir, tt.l)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: Locate = %+v, %v; want an error with %q", tt.name, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s: Locate = %+v, %v; want %+v", tt.name, got, err, tt.want)
		}
	}
	if _, err := Locate(dir, config.Listen{}); !errors.Is(err, ErrNoCertificate) {
		t.Errorf("Locate with no files = %v, want ErrNoCertificate", err)
	}
}

// TestLoadOpenSSLKeys: the key OpenSSL 3 writes for Flussonic's documented
// `openssl rsa -des3` (PKCS#8, PBES2), the other PBES2 variants, and the
// legacy PEM encryption all decrypt with "flussonic" and match the
// certificate.
func TestLoadOpenSSLKeys(t *testing.T) {
	for _, key := range []string{"openssl3-des3", "pkcs8-aes256", "pkcs8-aes128-sha1", "legacy-des3"} {
		cert, err := Load(Files{Cert: "testdata/test-only.crt", Key: "testdata/test-only-" + key + ".key"})
		if err != nil {
			t.Errorf("%s: %v", key, err)
			continue
		}
		if _, ok := cert.PrivateKey.(*rsa.PrivateKey); !ok || cert.Leaf == nil || cert.Leaf.Subject.CommonName != "127.0.0.1" {
			t.Errorf("%s: loaded %T for %v, want the RSA key of 127.0.0.1", key, cert.PrivateKey, cert.Leaf)
		}
	}
}

func TestLoadRefuses(t *testing.T) {
	dir := t.TempDir()
	pki := certstest.New(t)
	leaf, other := pki.Leaf(t, 1), pki.Leaf(t, 2)
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		certstest.WriteFile(t, path, b)
		return path
	}
	crt := write("a.crt", leaf.Cert)
	huge := write("huge.crt", make([]byte, maxFileSize+1))
	legacy, err := os.ReadFile("testdata/test-only-legacy-des3.key")
	if err != nil {
		t.Fatal(err)
	}
	wrongPassword := strings.Replace(string(legacy), "DES-EDE3-CBC,", "DES-EDE3-CBC,00", 1) // another IV: garbage out
	for _, tt := range []struct {
		name string
		f    Files
		want string
	}{
		{"missing certificate", Files{Cert: filepath.Join(dir, "none.crt"), Key: crt}, "none.crt"},
		{"missing key", Files{Cert: crt, Key: filepath.Join(dir, "none.key")}, "none.key"},
		{"missing chain", Files{Cert: crt, Key: write("a.key", leaf.KeyPEM(t, false)), CA: filepath.Join(dir, "none-ca.crt")}, "none-ca.crt"},
		{"key of another certificate", Files{Cert: crt, Key: write("b.key", other.KeyPEM(t, false))}, "a.crt"},
		{"no key in the key file", Files{Cert: crt, Key: crt}, "no PEM private key"},
		{"huge file", Files{Cert: huge, Key: crt}, "larger than"},
		{"undecryptable legacy key", Files{Cert: crt, Key: write("c.key", []byte(wrongPassword))}, "flussonic"},
	} {
		if _, err := Load(tt.f); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Load = %v, want an error with %q", tt.name, err, tt.want)
		}
	}
}

func TestDecryptPKCS8WrongPassword(t *testing.T) {
	b, err := os.ReadFile("testdata/test-only-openssl3-des3.key")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plainKey(b, "not-flussonic"); err == nil || !strings.Contains(err.Error(), "cannot decrypt") {
		t.Errorf("wrong password: %v, want cannot decrypt", err)
	}
}

func TestVersions(t *testing.T) {
	for _, tt := range []struct {
		in       []string
		min, max uint16
		err      string
	}{
		{nil, tls.VersionTLS12, tls.VersionTLS13, ""},
		{[]string{"tlsv1.2"}, tls.VersionTLS12, tls.VersionTLS12, ""},
		{[]string{"tlsv1.3"}, tls.VersionTLS13, tls.VersionTLS13, ""},
		{[]string{"tlsv1.3", "TLSv1.2"}, tls.VersionTLS12, tls.VersionTLS13, ""},
		{[]string{"tlsv1.1", "tlsv1.2"}, 0, 0, "insecure"},
		{[]string{"tlsv1"}, 0, 0, "insecure"},
		{[]string{"sslv3"}, 0, 0, "insecure"},
		{[]string{"tls13"}, 0, 0, "unknown"},
	} {
		lo, hi, err := Versions(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Versions(%q) = %v, want an error with %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || lo != tt.min || hi != tt.max {
			t.Errorf("Versions(%q) = %x..%x, %v; want %x..%x", tt.in, lo, hi, err, tt.min, tt.max)
		}
	}
}

// handshake runs one TLS handshake against server and returns the client
// side (closed when the test ends).
func handshake(t *testing.T, server, client *tls.Config) (*tls.Conn, error) {
	t.Helper()
	a, b := net.Pipe()
	t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
	srv := tls.Server(a, server)
	go func() { _ = srv.Handshake() }()
	c := tls.Client(b, client)
	return c, c.Handshake()
}

// TestBookServesChainAndReloads: the default files serve the leaf with its
// chain (a client trusting only the root verifies it), an encrypted key
// included; Reload hands new connections the renewed certificate and keeps
// it when the files break.
func TestBookServesChainAndReloads(t *testing.T) {
	dir := t.TempDir()
	pki := certstest.New(t)
	pki.Leaf(t, 1).Write(t, dir, "streamer", true)
	book := NewBook(dir)
	l := config.Listen{Address: "127.0.0.1", Port: 1443}
	cfg, err := book.Config("rtmps", l)
	if err != nil {
		t.Fatal(err)
	}
	serial := func() int64 {
		t.Helper()
		c, err := handshake(t, cfg, pki.ClientConfig())
		if err != nil {
			t.Fatalf("handshake: %v", err)
		}
		return certstest.PeerSerial(c)
	}
	if got := serial(); got != 1 {
		t.Fatalf("serial %d, want 1", got)
	}
	pki.Leaf(t, 2).Write(t, dir, "streamer", false)
	if got := serial(); got != 1 {
		t.Errorf("before Reload: serial %d, want the loaded 1", got)
	}
	if err := book.Reload(); err != nil {
		t.Fatal(err)
	}
	if got := serial(); got != 2 {
		t.Errorf("after Reload: serial %d, want 2", got)
	}
	certstest.WriteFile(t, filepath.Join(dir, "streamer.key"), []byte("broken"))
	if err := book.Reload(); err == nil || !strings.Contains(err.Error(), "streamer.key") {
		t.Errorf("Reload of a broken key = %v, want an error naming it", err)
	}
	if got := serial(); got != 2 {
		t.Errorf("after a failed Reload: serial %d, want the previous 2", got)
	}
	// A second listener on the same files shares the certificate.
	again, err := book.Config("https", config.Listen{Port: 443})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := handshake(t, again, pki.ClientConfig()); err != nil || certstest.PeerSerial(c) != 2 {
		t.Errorf("second listener: %v, want serial 2", err)
	}
}

func TestBookConfigNamesTheListener(t *testing.T) {
	book := NewBook(t.TempDir())
	_, err := book.Config("rtsps", config.Listen{Address: "127.0.0.1", Port: 1554})
	if err == nil || !strings.Contains(err.Error(), "rtsps listener 127.0.0.1:1554") || !errors.Is(err, ErrNoCertificate) {
		t.Errorf("Config without certificate = %v, want ErrNoCertificate naming rtsps listener 127.0.0.1:1554", err)
	}
	_, err = book.Config("https", config.Listen{Port: 443, SSLProtocols: []string{"tlsv1.1"}})
	if err == nil || !strings.Contains(err.Error(), "https listener :443: ssl_protocols tlsv1.1") {
		t.Errorf("Config with tlsv1.1 = %v, want the listener and the version named", err)
	}
}

func TestBookSSLProtocols(t *testing.T) {
	dir := t.TempDir()
	pki := certstest.New(t)
	pki.Leaf(t, 1).Write(t, dir, "streamer", false)
	cfg, err := NewBook(dir).Config("https", config.Listen{Port: 443, SSLProtocols: []string{"tlsv1.3"}})
	if err != nil {
		t.Fatal(err)
	}
	old := pki.ClientConfig()
	old.MaxVersion = tls.VersionTLS12
	if _, err := handshake(t, cfg, old); err == nil {
		t.Errorf("a TLS 1.2 client was served by a tlsv1.3-only listener")
	}
	if c, err := handshake(t, cfg, pki.ClientConfig()); err != nil || c.ConnectionState().Version != tls.VersionTLS13 {
		t.Errorf("TLS 1.3 client: %v", err)
	}
}

// FuzzParsePBES2 feeds arbitrary DER to the encrypted-key reader: it
// returns an error or a key, and never panics; a parsed key with a cheap
// derivation is decrypted too.
func FuzzParsePBES2(f *testing.F) {
	for _, name := range []string{"openssl3-des3", "pkcs8-aes256", "pkcs8-aes128-sha1"} {
		b, err := os.ReadFile("testdata/test-only-" + name + ".key")
		if err != nil {
			f.Fatal(err)
		}
		block := pemBlock(f, b)
		f.Add(block)
		// The same with 256 iterations (OpenSSL's 2048 is 02 02 08 00),
		// cheap enough to decrypt on every run: a wrong key, bad padding.
		f.Add(bytes.Replace(block, []byte{2, 2, 8, 0}, []byte{2, 2, 1, 0}, 1))
	}
	f.Fuzz(func(_ *testing.T, der []byte) {
		k, err := parsePBES2(der)
		if err != nil || k.iterations > 256 {
			return
		}
		_, _ = k.decrypt(Password)
	})
}
