package drm

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/asticode/go-astits"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
)

// muxed is a TS of an H.264 track (frames of the given sizes) and an AAC
// track, written by the mediacommon writer the segmenter uses.
func muxed(t *testing.T, sizes []int) []byte {
	t.Helper()
	conf := mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 48000, ChannelCount: 2}
	video := &mpegts.Track{Codec: &mpegts.CodecH264{}}
	audio := &mpegts.Track{Codec: &mpegts.CodecMPEG4Audio{Config: conf}}
	var buf bytes.Buffer
	w := mpegts.Writer{W: &buf, Tracks: []*mpegts.Track{video, audio}}
	if err := w.Initialize(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i, n := range sizes {
		slice := make([]byte, n)
		for j := range slice {
			slice[j] = byte(rng.UintN(255) + 1) // no zeros: no emulation prevention
		}
		slice[0] = 0x41
		if err := w.WriteH264(video, int64(90000+i*3000), int64(90000+i*3000), [][]byte{slice}); err != nil {
			t.Fatal(err)
		}
		if err := w.WriteMPEG4Audio(audio, int64(90000+i*3000), [][]byte{bytes.Repeat([]byte{0x21, byte(i)}, 100)}); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// TestReplacePESResizes: a PES that grows or shrinks keeps its packets'
// adaptation fields, reads back whole, and its PID's counters stay
// continuous.
func TestReplacePESResizes(t *testing.T) {
	ts := muxed(t, []int{400, 2000, 183, 5000})
	for _, delta := range []int{0, 1, 7, 200, 900, -1, -5, -170, -1500} {
		w := &tsRewriter{ts: ts, repl: map[int][][]byte{}, renum: map[uint16]bool{}}
		var want [][]byte
		for _, slots := range videoPESes(t, ts) {
			pes, err := w.pesOf(slots)
			if err != nil {
				t.Fatal(err)
			}
			n := max(len(pes)+delta, 20)
			resized := append(bytes.Clone(pes[:min(n, len(pes))]), bytes.Repeat([]byte{0xab}, max(0, n-len(pes)))...)
			resized[4], resized[5] = 0, 0 // unbounded
			w.replacePES(slots, resized)
			want = append(want, resized[9+int(resized[8]):])
		}
		out := w.bytes()
		checkCC(t, out)
		got := videoData(t, out)
		if len(got) != len(want) {
			t.Fatalf("delta %d: %d PES back of %d", delta, len(got), len(want))
		}
		for i := range want {
			if !bytes.Equal(got[i], want[i]) {
				t.Errorf("delta %d: PES %d differs (%d bytes, want %d)", delta, i, len(got[i]), len(want[i]))
			}
		}
		if delta == 0 && !bytes.Equal(out, ts) {
			t.Error("an unchanged PES changed the segment")
		}
	}
}

func TestEmulationPrevention(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		raw := make([]byte, rng.IntN(40))
		for i := range raw {
			raw[i] = []byte{0, 0, 0, 1, 2, 3, 0x65}[rng.IntN(7)]
		}
		esc := appendEscaped(nil, raw)
		if got := unescapeRBSP(esc); !bytes.Equal(got, raw) {
			t.Fatalf("%x -> %x -> %x", raw, esc, got)
		}
		for i := 2; i < len(esc); i++ {
			if esc[i-2] == 0 && esc[i-1] == 0 && esc[i] <= 2 {
				t.Fatalf("%x escaped to %x: start code emulation", raw, esc)
			}
		}
		if again := appendEscaped(nil, unescapeRBSP(esc)); !bytes.Equal(again, esc) {
			t.Fatalf("%x: escaped %x, again %x", raw, esc, again)
		}
	}
}

// videoPESes returns the packet indexes of each video PES of ts.
func videoPESes(t *testing.T, ts []byte) [][]int {
	t.Helper()
	p, err := ReadTSProgram(ts)
	if err != nil {
		t.Fatal(err)
	}
	video := p.Streams[0].PID
	var out [][]int
	for i := range len(ts) / tsPacketSize {
		h, err := tsPacketAt(ts[i*tsPacketSize:])
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case h.pid != video || h.payload >= tsPacketSize:
		case h.start:
			out = append(out, []int{i})
		default:
			out[len(out)-1] = append(out[len(out)-1], i)
		}
	}
	return out
}

func videoData(t *testing.T, ts []byte) [][]byte {
	t.Helper()
	dmx := astits.NewDemuxer(context.Background(), bytes.NewReader(ts))
	var out [][]byte
	for {
		d, err := dmx.NextData()
		if errors.Is(err, astits.ErrNoMorePackets) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if d.PES != nil && d.PID == 256 {
			out = append(out, d.PES.Data)
		}
	}
}

// checkCC fails when a PID's continuity counter skips: +1 per packet with
// payload, unchanged on one with an adaptation field only.
func checkCC(t *testing.T, ts []byte) {
	t.Helper()
	last := map[uint16]byte{}
	for off := 0; off < len(ts); off += tsPacketSize {
		pkt := ts[off : off+tsPacketSize]
		if pkt[0] != tsSync {
			t.Fatalf("no sync at %d", off)
		}
		pid, cc := uint16(pkt[1]&0x1f)<<8|uint16(pkt[2]), pkt[3]&0x0f
		want := last[pid]
		if pkt[3]&0x10 != 0 {
			want = (want + 1) & 0x0f
		}
		if prev, seen := last[pid]; seen && cc != want {
			t.Fatalf("PID %d at packet %d: counter %d after %d", pid, off/tsPacketSize, cc, prev)
		}
		last[pid] = cc
	}
}
