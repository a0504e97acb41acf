package listener

import "testing"

// TestHooksPublish: the RTMP hooks refuse what every listener refuses, and
// a publisher they admit feeds the stream until released.
func TestHooksPublish(t *testing.T) {
	testHooksPublish(t, "live1", func(p *publisher) tcpHooks { return rtmpHooks{p: p} })
}

func TestListenerAddrAndStop(t *testing.T) {
	testListenerAddrAndStop(t, RTMPProps, "127.0.0.1:1935")
}
