package listener

import (
	"context"
	"crypto/tls"
	"net"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"streamhive/actors/certs"
	"streamhive/actors/certs/certstest"
	"streamhive/actors/config"
	"streamhive/actors/kit"
	"streamhive/actors/stream"
)

// serverTLS returns a listener's TLS configuration, as certs builds it
// from the default files, and a client configuration trusting it.
func serverTLS(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	dir := t.TempDir()
	pki := certstest.New(t)
	pki.Leaf(t, 42).Write(t, dir, "streamer", true)
	server, err := certs.NewBook(dir).Config("test", config.Listen{Port: 1})
	if err != nil {
		t.Fatal(err)
	}
	return server, pki.ClientConfig()
}

// TestTLSListeners: the RTMPS and RTSPS listeners report their address,
// close their port when stopped and report a port they could not open, as
// the plain ones do, and speak TLS with the configured certificate.
func TestTLSListeners(t *testing.T) {
	for _, tt := range []struct {
		name  string
		props func(Config, *tls.Config) *actor.Props
	}{{"rtmps", RTMPSProps}, {"rtsps", RTSPSProps}} {
		t.Run(tt.name, func(t *testing.T) {
			srv, client := serverTLS(t)
			testListenerAddrAndStop(t, func(c Config) *actor.Props { return tt.props(c, srv) }, "127.0.0.1:1443")
			// Real sockets, real time: gortsplib wants TCP addresses.
			sys := kit.NewSystem(nil)
			defer sys.Shutdown()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			pid := sys.Root.Spawn(tt.props(Config{
				Address: "127.0.0.1:0",
				Lookup:  func(string) (*stream.Status, bool) { return nil, false },
			}, srv))
			rep, err := kit.Ask[*GetAddrReply](ctx, sys.Root, pid, &GetAddr{})
			if err != nil || rep.Err != nil {
				t.Fatalf("GetAddr = %+v, %v", rep, err)
			}
			c, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", rep.Addr.String(), client)
			if err != nil || certstest.PeerSerial(c) != 42 {
				t.Fatalf("TLS dial: %v; want the configured certificate 42", err)
			}
			_ = c.Close()
			if err := sys.Root.StopFuture(pid).Wait(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
