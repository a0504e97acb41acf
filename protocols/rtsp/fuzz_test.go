package rtsp

import (
	"log/slog"
	"strings"
	"testing"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/pion/rtp"

	"streamhive/media"
)

// FuzzIngest feeds arbitrary RTP payloads as H.264 + AAC and as H.265 +
// Opus packets (what a hostile publisher or a broken camera controls):
// the ingest counts and drops what it cannot use, never panics, and every
// frame it writes is well formed. The input is a run of packets, each
// [media index, marker<<7 | length, payload...].
func FuzzIngest(f *testing.F) {
	pkt := func(m int, marker bool, payload ...byte) []byte {
		b := byte(len(payload))
		if marker {
			b |= 0x80
		}
		return append([]byte{byte(m), b}, payload...)
	}
	cat := func(parts ...[]byte) []byte {
		var out []byte
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	f.Add(cat(pkt(0, true, sps352...), pkt(0, true, pps...), pkt(0, true, idr...), pkt(1, true, 0x00, 0x10, 0x00, 0x18, 0x21, 0x10, 0x04),
		pkt(0, true, nonIDR...)))
	f.Add(cat(pkt(0, false, 0x7c, 0x85, 0x88, 0x84), pkt(0, true, 0x7c, 0x45, 0x00, 0x33))) // FU-A
	f.Add(cat(pkt(0, true, 0x18, 0x00, 0x04, 0x68, 0xee, 0x3c, 0x80, 0x00, 0x00)))          // STAP-A with an empty NALU
	f.Add(cat(pkt(0, true, 0x40, 0x01, 0x0c), pkt(0, true, 0x26, 0x01, 0xaf), pkt(1, true, 0xfc, 0xff, 0xfe)))
	f.Fuzz(func(t *testing.T, data []byte) {
		aac := &format.MPEG4Audio{
			PayloadTyp: 97, SizeLength: 13, IndexLength: 3, IndexDeltaLength: 3,
			Config: &mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 48000, ChannelCount: 2},
		}
		for _, fs := range [][]format.Format{
			{&format.H264{PayloadTyp: 96, PacketizationMode: 1}, aac},
			{&format.H265{PayloadTyp: 96}, &format.Opus{PayloadTyp: 97, ChannelCount: 2}},
		} {
			medias := []*description.Media{{Formats: fs[:1]}, {Formats: fs[1:]}}
			sel, err := selectTracks(medias)
			if err != nil {
				t.Fatal(err)
			}
			rec := &recorder{}
			in := newIngest(ingestConfig{
				sel: sel, stats: &media.InputStats{}, log: slog.New(slog.DiscardHandler),
				publish: func(tracks []media.Track) (media.Sink, error) { rec.setTracks(tracks); return rec, nil },
				pts:     func(_ *description.Media, p *rtp.Packet) (int64, bool) { return int64(p.Timestamp), true },
				fail:    func(error) {},
			})
			feed(in, medias, data)
			tracks, frames := rec.snapshot()
			for _, fr := range frames {
				if fr.Track < 0 || fr.Track >= len(tracks) || fr.Size() == 0 || fr.DTS < 0 || fr.PTS < fr.DTS {
					t.Fatalf("bad frame %+v of %d tracks", fr, len(tracks))
				}
			}
		}
	})
}

// feed cuts data into packets (see FuzzIngest) with timestamps advancing
// by 3000 ticks a packet.
func feed(in *ingest, medias []*description.Media, data []byte) {
	for i := uint32(0); len(data) >= 2; i++ {
		m := medias[int(data[0])%len(medias)]
		marker, n := data[1]&0x80 != 0, min(int(data[1]&0x7f), len(data)-2)
		payload := append([]byte(nil), data[2:2+n]...)
		data = data[2+n:]
		in.onPacket(m, m.Formats[0], &rtp.Packet{
			Header: rtp.Header{
				Version: 2, Marker: marker, PayloadType: m.Formats[0].PayloadType(),
				SequenceNumber: uint16(i), Timestamp: i * 3000,
			},
			Payload: payload,
		})
	}
}

// FuzzParseBasic feeds arbitrary Authorization values (a publisher
// controls them): parseBasic never panics, and what it returns came out
// of a well-formed Basic header.
func FuzzParseBasic(f *testing.F) {
	f.Add("Basic dXNlcjpwYXNz")    // user:pass
	f.Add("basic OnBhOnNz")        // :pa:ss
	f.Add("Basic !!!")             // not base64
	f.Add("Digest username=\"u\"") // another scheme
	f.Add("Basic dXNlcg==")        // no colon
	f.Fuzz(func(t *testing.T, v string) {
		user, pass := parseBasic(v)
		if (user != "" || pass != "") && !strings.HasPrefix(strings.ToLower(strings.TrimSpace(v)), "basic ") {
			t.Fatalf("parseBasic(%q) = %q, %q from a non-Basic value", v, user, pass)
		}
	})
}
