package whep

import (
	"bytes"
	"testing"

	"streamhive/media"
)

// A keyframe without parameter sets gets the track's; a large NAL unit is
// split into FU-A fragments that reassemble to it; AUDs are dropped.
func TestPackH264(t *testing.T) {
	big := bytes.Repeat([]byte{0xab}, 3000)
	big[0] = 0x65 // IDR
	tr := media.Track{Codec: media.CodecH264, SPS: []byte{0x67, 1, 2}, PPS: []byte{0x68, 3}}
	f := &media.Frame{Keyframe: true, Data: [][]byte{{0x09, 0xf0}, big}}
	ps := packH264(f, tr)
	if len(ps) != 2+3 {
		t.Fatalf("%d payloads, want SPS, PPS and 3 fragments", len(ps))
	}
	if !bytes.Equal(ps[0], tr.SPS) || !bytes.Equal(ps[1], tr.PPS) {
		t.Error("parameter sets not first")
	}
	got := []byte{ps[2][0]&0xe0 | ps[2][1]&0x1f}
	for i, p := range ps[2:] {
		if len(p) > rtpMTU {
			t.Errorf("fragment %d: %d bytes", i, len(p))
		}
		start, end := p[1]&0x80 != 0, p[1]&0x40 != 0
		if p[0]&0x1f != nalFUA || start != (i == 0) || end != (i == 2) {
			t.Errorf("fragment %d header %x %x", i, p[0], p[1])
		}
		got = append(got, p[2:]...)
	}
	if !bytes.Equal(got, big) {
		t.Error("fragments do not reassemble the NAL unit")
	}
	if ps := packH264(&media.Frame{Data: [][]byte{{0x41, 1}}}, tr); len(ps) != 1 {
		t.Errorf("delta frame: %d payloads", len(ps))
	}
}

// Every viewer of a frame gets the same payloads, packetised once.
func TestPayloadCacheShares(t *testing.T) {
	c := newPayloadCache()
	f := &media.Frame{Data: [][]byte{{0xfc}}}
	calls := 0
	pack := func(f *media.Frame) [][]byte { calls++; return packOpus(f, media.Track{}) }
	a, b := c.get(f, pack), c.get(f, pack)
	if calls != 1 || &a[0][0] != &b[0][0] {
		t.Errorf("packetised %d times", calls)
	}
	for range cacheFrames {
		c.get(&media.Frame{Data: [][]byte{{1}}}, pack)
	}
	if len(c.m) != cacheFrames {
		t.Errorf("cache holds %d frames, want %d", len(c.m), cacheFrames)
	}
}
