package whip

import (
	"encoding/binary"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/pion/rtp"

	"streamhive/media"
)

type discard struct{ n int }

func (d *discard) WriteFrame(f *media.Frame) {
	if f.Size() == 0 || f.DTS < 0 {
		panic("an empty or negative frame was written")
	}
	d.n++
}

// FuzzIngest feeds arbitrary RTP payloads as H.264 and Opus packets
// (reordered, lost and repeated as the fuzzer's bytes say) through the
// reassembly, timing and publishing of a session: nothing may panic, and
// what reaches the sink has a payload and a timestamp on the timeline.
func FuzzIngest(f *testing.F) {
	sps := []byte{0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x47, 0xfe, 0xc8}
	pps := []byte{0x68, 0xce, 0x3c, 0x80}
	stap := append([]byte{0x78, 0, byte(len(sps))}, sps...)
	stap = append(append(stap, 0, byte(len(pps))), pps...)
	f.Add(packets(stap, []byte{0x65, 0x88, 0x84}, []byte{0x41, 0x9a}))
	f.Add(packets([]byte{0x7c, 0x85, 1, 2}, []byte{0x7c, 0x05, 3}, []byte{0x7c, 0x45, 4}))
	f.Add(packets([]byte{0x78, 0xff, 0xff}, []byte{0x18}, []byte{}))
	f.Fuzz(func(_ *testing.T, data []byte) {
		sink := &discard{}
		in := &ingest{
			want: wants{video: true, audio: true}, stats: &media.InputStats{}, epoch: time.Now(),
			log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
			publish: func([]media.Track) (media.Sink, func(), error) { return sink, func() {}, nil },
			fail:    func(error) {},
		}
		v, a := newVideoTrack(func() {}), newAudioTrack()
		var seq uint16
		for len(data) >= 4 {
			// Each packet: flags, a sequence step, a timestamp step,
			// a payload length, then the payload.
			flags, step, tstep, n := data[0], data[1], data[2], int(data[3])
			data = data[4:]
			n = min(n, len(data))
			seq += uint16(int8(step))
			pkt := &rtp.Packet{Header: rtp.Header{
				Marker: flags&1 != 0, SequenceNumber: seq,
				Timestamp: binary.BigEndian.Uint32([]byte{0, 0, tstep, flags}) * 100,
			}, Payload: append([]byte(nil), data[:n]...)}
			data = data[n:]
			if flags&2 != 0 {
				in.onAudio(a, pkt, time.Now())
			} else {
				in.onVideo(v, pkt, time.Now())
			}
		}
		in.close()
	})
}

// packets encodes payloads in FuzzIngest's layout as consecutive video
// packets, the last with the marker bit.
func packets(payloads ...[]byte) []byte {
	var out []byte
	for i, p := range payloads {
		flags := byte(0)
		if i == len(payloads)-1 {
			flags = 1
		}
		out = append(out, flags, 1, 0, byte(len(p)))
		out = append(out, p...)
	}
	return out
}
