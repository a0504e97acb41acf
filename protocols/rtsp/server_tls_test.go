package rtsp

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"streamhive/media"
	"streamhive/media/mediatest"
)

// TestServerRTSPS: with TLSConfig the server takes an RTSPS publisher
// (RTP interleaved in TLS); a plain RTSP client, a client that does not
// trust the certificate and RTP over (plain) UDP are refused.
func TestServerRTSPS(t *testing.T) {
	cert, pool := selfSignedCert(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hooks, logs := &fakeHooks{}, &mediatest.LogBuffer{}
	srv := &Server{
		Hooks: hooks, Logger: debugLogger(logs),
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve = %v, want ErrServerClosed", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	addr := ln.Addr().String()
	trusted := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	record := func(url string, tr gortsplib.Transport, cfg *tls.Config) (*gortsplib.Client, error) {
		c := &gortsplib.Client{Transport: &tr, TLSConfig: cfg, ReadTimeout: 3 * time.Second, WriteTimeout: 3 * time.Second}
		return c, c.StartRecording(url, aacSession())
	}
	for _, tt := range []struct {
		name string
		url  string
		tr   gortsplib.Transport
		cfg  *tls.Config
	}{
		{"plain rtsp", "rtsp://" + addr + "/cam", gortsplib.TransportTCP, nil},
		{"untrusted", "rtsps://" + addr + "/cam", gortsplib.TransportTCP, &tls.Config{MinVersion: tls.VersionTLS12}},
	} {
		if c, err := record(tt.url, tt.tr, tt.cfg); err == nil {
			c.Close()
			t.Errorf("%s: recording succeeded, want a refusal", tt.name)
		}
	}
	if pubs, _ := hooks.state(); len(pubs) != 0 {
		t.Fatalf("clients without TLS or trust published %d times", len(pubs))
	}
	// UDP: ANNOUNCE over TLS is taken, SETUP with UDP is not.
	if c, err := record("rtsps://"+addr+"/cam", gortsplib.TransportUDP, trusted); err == nil {
		c.Close()
		t.Errorf("RTSPS with RTP over UDP succeeded, want a refusal")
	}

	c, err := record("rtsps://"+addr+"/live/cam", gortsplib.TransportTCP, trusted)
	if err != nil {
		t.Fatalf("RTSPS recording: %v", err)
	}
	pubs, _ := hooks.state()
	if p := pubs[len(pubs)-1]; p.name != "live/cam" || p.info.Peer == nil {
		t.Fatalf("publication %+v, want live/cam with its peer", p)
	}
	if tracks, _ := pubs[len(pubs)-1].rec.snapshot(); len(tracks) != 1 || tracks[0].Codec != media.CodecAAC {
		t.Errorf("tracks %+v, want the AAC track", tracks)
	}
	c.Close()
	if !mediatest.Eventually(5*time.Second, func() bool { _, released := hooks.state(); return released == len(pubs) }) {
		t.Errorf("the publication was not released when the client left")
	}
}

// aacSession is an SDP with one AAC track, complete at ANNOUNCE, so the
// server publishes before any packet.
func aacSession() *description.Session {
	aac := &format.MPEG4Audio{
		PayloadTyp: 97, SizeLength: 13, IndexLength: 3, IndexDeltaLength: 3,
		Config: &mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 48000, ChannelCount: 2},
	}
	return &description.Session{Medias: []*description.Media{{Type: description.MediaTypeAudio, Formats: []format.Format{aac}}}}
}

// selfSignedCert returns a certificate for 127.0.0.1 and a pool trusting it.
func selfSignedCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:   time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
