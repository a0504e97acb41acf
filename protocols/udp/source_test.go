package udp

import (
	"errors"
	"net/netip"
	"testing"
)

func TestParseURL(t *testing.T) {
	ap, a := netip.MustParseAddrPort, netip.MustParseAddr
	for _, tc := range []struct {
		in   string
		want Source
	}{
		{"udp://239.0.0.1:1234", Source{Addr: ap("239.0.0.1:1234")}},
		{"udp://239.0.0.1:1234/10.0.0.5", Source{Addr: ap("239.0.0.1:1234"), Interface: a("10.0.0.5")}},
		{"udp://10.1.1.1@239.0.0.1:1234", Source{Addr: ap("239.0.0.1:1234"), Sender: a("10.1.1.1")}},
		{"udp://239.0.0.1:1234/127.0.0.1?source=127.0.0.1", Source{Addr: ap("239.0.0.1:1234"), Interface: a("127.0.0.1"), Sender: a("127.0.0.1")}},
		{"udp://127.0.0.1:5000", Source{Addr: ap("127.0.0.1:5000")}},
		{"udp://:5000", Source{Addr: ap("0.0.0.0:5000")}},
		{"udp://[::1]:5000", Source{Addr: ap("[::1]:5000")}},
	} {
		got, err := ParseURL(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseURL(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, in := range []string{
		"tcp://239.0.0.1:1234", "udp://239.0.0.1", "udp://239.0.0.1:0", "udp://host:1234",
		"udp://239.0.0.1:1234/eth0", "udp://x@239.0.0.1:1234", "udp://127.0.0.1:5000/127.0.0.1",
		"udp://[ff02::1]:1234", "udp://%zz",
	} {
		if _, err := ParseURL(in); !errors.Is(err, ErrBadURL) {
			t.Errorf("ParseURL(%q): %v, want ErrBadURL", in, err)
		}
	}
}

func TestStripRTP(t *testing.T) {
	ts := []byte{0x47, 1, 2, 3}
	rtp := append([]byte{0x80, 33, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, ts...)
	csrcExt := append([]byte{0x91, 33, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 9, 9, 9, 9, 0xbe, 0xde, 0, 1, 7, 7, 7, 7}, ts...)
	for name, tc := range map[string]struct{ in, want []byte }{
		"plain TS":        {ts, ts},
		"RTP":             {rtp, ts},
		"CSRC, extension": {csrcExt, ts},
		"not TS inside":   {[]byte{0x80, 33, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 5}, []byte{0x80, 33, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 5}},
		"short":           {[]byte{0x80, 1}, []byte{0x80, 1}},
	} {
		if got := stripRTP(tc.in); string(got) != string(tc.want) {
			t.Errorf("%s: got % x, want % x", name, got, tc.want)
		}
	}
}
