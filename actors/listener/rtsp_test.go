package listener

import "testing"

// TestRTSPHooksPublish: the RTSP hooks refuse what the RTMP ones refuse,
// and a publisher they admit feeds the stream until released.
func TestRTSPHooksPublish(t *testing.T) {
	testHooksPublish(t, "cam", func(p *publisher) tcpHooks { return rtspHooks{p: p} })
}

// TestRTSPListenerAddrAndStop: the listener reports its address, closes
// its port when stopped, and reports a port it could not open.
func TestRTSPListenerAddrAndStop(t *testing.T) {
	testListenerAddrAndStop(t, RTSPProps, "127.0.0.1:8554")
}
