package rtmp

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"streamhive/media/hub"
	"streamhive/media/mediatest"
)

// selfSigned returns a server certificate for 127.0.0.1 and a pool that
// trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:   time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
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

// clipSource is a hub consumer already holding a few seconds of the test
// clip, as a push target's source would.
func clipSource(t *testing.T, d time.Duration) (*hub.Consumer, int) {
	t.Helper()
	clip, err := mediatest.LoadClip()
	if err != nil {
		t.Fatal(err)
	}
	h := hub.New(hub.Options{})
	h.SetTracks(clip.Tracks)
	w := h.NewWriter()
	c := h.Subscribe()
	t.Cleanup(c.Close)
	frames := clip.Loop(d)
	for _, f := range frames {
		w.WriteFrame(f)
	}
	return c, len(frames)
}

// TestPushRTMPS pushes over TLS (rtmps://) to our RTMP server serving
// RTMPS (Server.TLSConfig): the frames arrive; a certificate the pusher
// does not trust is refused.
func TestPushRTMPS(t *testing.T) {
	cert, pool := selfSigned(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hooks := newTestHooks("key")
	srv := &Server{Hooks: hooks, TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Close)
	url := "rtmps://" + ln.Addr().String() + "/live/key"

	t.Run("untrusted", func(t *testing.T) {
		src, _ := clipSource(t, time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var sent atomic.Uint64
		err := (&Pusher{}).Push(ctx, url, nil, src, &sent)
		var unknown x509.UnknownAuthorityError
		if !errors.As(err, &unknown) && (err == nil || !strings.Contains(err.Error(), "certificate")) {
			t.Errorf("push to an untrusted certificate: %v, want a certificate error", err)
		}
	})

	t.Run("plain rtmp to the rtmps port", func(t *testing.T) {
		src, _ := clipSource(t, time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var sent atomic.Uint64
		if err := (&Pusher{}).Push(ctx, "rtmp://"+ln.Addr().String()+"/live/key", nil, src, &sent); err == nil {
			t.Errorf("a plain RTMP push to the RTMPS port succeeded")
		}
	})

	t.Run("trusted", func(t *testing.T) {
		src, n := clipSource(t, 2*time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		var sent atomic.Uint64
		done := make(chan error, 1)
		go func() {
			done <- (&Pusher{TLS: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}).Push(ctx, url, nil, src, &sent)
		}()
		p := waitPublication(t, hooks)
		mediatest.Eventually(15*time.Second, func() bool {
			_, frames := p.rec.snapshot()
			return len(frames) >= n*9/10 // the last frames may still be in flight
		})
		cancel()
		<-done
		tracks, frames := p.rec.snapshot()
		if len(tracks) != 2 || len(frames) < n*9/10 || sent.Load() == 0 {
			t.Fatalf("received %d tracks, %d of %d frames, %d bytes counted", len(tracks), len(frames), n, sent.Load())
		}
	})
}
