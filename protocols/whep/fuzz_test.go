package whep

import "testing"

const fuzzOffer = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n" +
	"m=video 9 UDP/TLS/RTP/SAVPF 102\r\nc=IN IP4 0.0.0.0\r\na=recvonly\r\na=rtpmap:102 H264/90000\r\n" +
	"a=fmtp:102 packetization-mode=1;profile-level-id=42e01f\r\n" +
	"m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\n"

func FuzzOfferReceives(f *testing.F) {
	f.Add([]byte(fuzzOffer))
	f.Add([]byte("v=0\r\n"))
	f.Fuzz(func(_ *testing.T, b []byte) {
		_, _ = offerReceives(b) // must not panic, whatever b is
	})
}

func FuzzParseFragment(f *testing.F) {
	f.Add([]byte("a=ice-ufrag:ab\r\na=ice-pwd:cd\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\na=candidate:1 1 udp 1 127.0.0.1 9 typ host\r\na=end-of-candidates\r\n"))
	f.Add([]byte("a=ice-ufrag:x"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := parseFragment(b)
		if err != nil {
			return
		}
		if len(fr.candidates) > maxFragmentLines || (fr.ufrag == "") != (fr.pwd == "") {
			t.Fatalf("fragment %+v out of bounds", fr)
		}
	})
}

func TestOfferReceives(t *testing.T) {
	r, err := offerReceives([]byte(fuzzOffer))
	if err != nil || !r.video || !r.audio {
		t.Fatalf("%+v, %v", r, err)
	}
}
