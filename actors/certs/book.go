package certs

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"

	"streamhive/actors/config"
)

// Cert is one certificate as new TLS connections get it. Reload re-reads
// its files; connections already open keep the certificate they were
// given. Safe for concurrent use.
type Cert struct {
	files Files
	cur   atomic.Pointer[tls.Certificate]
}

// Open loads f.
func Open(f Files) (*Cert, error) {
	c := &Cert{files: f}
	if err := c.Reload(); err != nil {
		return nil, err
	}
	return c, nil
}

// Reload re-reads the files. On an error the certificate in use stays.
func (c *Cert) Reload() error {
	cert, err := Load(c.files)
	if err != nil {
		return err
	}
	c.cur.Store(cert)
	return nil
}

// Current returns the certificate new connections get.
func (c *Cert) Current() *tls.Certificate { return c.cur.Load() }

// GetCertificate implements tls.Config.GetCertificate.
func (c *Cert) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	return c.cur.Load(), nil
}

// Book holds the certificates of one server's TLS listeners: listeners
// that use the same files share one Cert, and Reload renews them all. Safe
// for concurrent use.
type Book struct {
	dir   string
	mu    sync.Mutex
	certs map[Files]*Cert // guarded by mu
}

// NewBook returns a Book that finds default certificates, and resolves
// relative paths, in dir: the config file's directory ("" is the working
// directory).
func NewBook(dir string) *Book {
	return &Book{dir: dir, certs: make(map[Files]*Cert)}
}

// BookFor returns the Book of the config file at path: NewBook over its
// directory (Flussonic: /etc/flussonic), or over the working directory
// when there is no file ("").
func BookFor(path string) *Book {
	if path == "" {
		return NewBook("")
	}
	return NewBook(filepath.Dir(path))
}

// Config returns the TLS configuration of listener l of protocol proto
// (https, rtmps, rtsps). An error names the listener: "https listener
// 127.0.0.1:443: ...".
func (b *Book) Config(proto string, l config.Listen) (*tls.Config, error) {
	minV, maxV, err := Versions(l.SSLProtocols)
	var c *Cert
	if err == nil {
		c, err = b.cert(l)
	}
	if err != nil {
		return nil, fmt.Errorf("%s listener %s: %w", proto, net.JoinHostPort(l.Address, strconv.Itoa(l.Port)), err)
	}
	cfg := &tls.Config{GetCertificate: c.GetCertificate, MinVersion: minV, MaxVersion: maxV}
	if proto == "https" {
		cfg.NextProtos = []string{"http/1.1"} // fasthttp speaks no HTTP/2
	}
	return cfg, nil
}

func (b *Book) cert(l config.Listen) (*Cert, error) {
	f, err := Locate(b.dir, l)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if c, ok := b.certs[f]; ok {
		return c, nil
	}
	c, err := Open(f)
	if err != nil {
		return nil, err
	}
	b.certs[f] = c
	return c, nil
}

// Reload re-reads every certificate in the book: new connections get the
// renewed ones. A certificate that no longer loads keeps the one in use;
// the error names its files.
func (b *Book) Reload() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var errs []error
	for _, c := range b.certs {
		errs = append(errs, c.Reload())
	}
	return errors.Join(errs...)
}
