package tsselect

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"
	"github.com/bluenviron/mediacommon/v2/pkg/formats/mpegts"
)

// sps and pps are a 320x240 H.264 stream's parameter sets.
var (
	sps = []byte{0x67, 0x42, 0xc0, 0x0d, 0xd9, 0x01, 0x41, 0xfb, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0xc0, 0xf1, 0x42, 0x99, 0x20}
	pps = []byte{0x68, 0xcb, 0x83, 0xcb, 0x20}
)

// muxed returns a TS of one H.264 track (PID 256, the PCR) and two AAC
// tracks, written by the same mediacommon writer the segmenter uses.
func muxed(t testing.TB) []byte {
	t.Helper()
	conf := mpeg4audio.AudioSpecificConfig{Type: mpeg4audio.ObjectTypeAACLC, SampleRate: 48000, ChannelCount: 2}
	video := &mpegts.Track{Codec: &mpegts.CodecH264{}}
	a1 := &mpegts.Track{Codec: &mpegts.CodecMPEG4Audio{Config: conf}}
	a2 := &mpegts.Track{Codec: &mpegts.CodecMPEG4Audio{Config: conf}}
	var buf bytes.Buffer
	w := mpegts.Writer{W: &buf, Tracks: []*mpegts.Track{video, a1, a2}}
	if err := w.Initialize(); err != nil {
		t.Fatal(err)
	}
	for i := range int64(5) {
		au := [][]byte{{0x41, 0x9a, byte(i)}}
		if i == 0 {
			au = [][]byte{sps, pps, {0x65, 0x88, 0x84}}
		}
		if err := w.WriteH264(video, 90000+i*3000, 90000+i*3000, au); err != nil {
			t.Fatal(err)
		}
		for _, a := range []*mpegts.Track{a1, a2} {
			if err := w.WriteMPEG4Audio(a, 90000+i*3000, [][]byte{{0x21, 0x10, byte(i)}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return buf.Bytes()
}

// demux reads ts back: its tracks' codecs and how many access units each
// carried. mediacommon's reader checks the tables' CRCs.
func demux(t *testing.T, ts []byte) (kinds []string, units []int) {
	t.Helper()
	r := mpegts.Reader{R: bytes.NewReader(ts)}
	if err := r.Initialize(); err != nil {
		t.Fatal(err)
	}
	units = make([]int, len(r.Tracks()))
	for i, tr := range r.Tracks() {
		switch tr.Codec.(type) {
		case *mpegts.CodecH264:
			kinds = append(kinds, "h264")
			r.OnDataH264(tr, func(int64, int64, [][]byte) error { units[i]++; return nil })
		case *mpegts.CodecMPEG4Audio:
			kinds = append(kinds, "aac")
			r.OnDataMPEG4Audio(tr, func(int64, [][]byte) error { units[i]++; return nil })
		}
	}
	for {
		if err := r.Read(); errors.Is(err, io.EOF) {
			return kinds, units
		} else if err != nil {
			t.Fatal(err)
		}
	}
}

func TestReadProgram(t *testing.T) {
	p, err := ReadProgram(muxed(t))
	if err != nil {
		t.Fatal(err)
	}
	if p.PMT != 0x1000 || len(p.Streams) != 3 || p.Streams[0] != 256 || p.Streams[2] != 258 {
		t.Fatalf("program %+v", p)
	}
	if _, err := ReadProgram(make([]byte, 10)); !errors.Is(err, ErrBad) {
		t.Fatalf("odd length: %v", err)
	}
	null := bytes.Repeat(append([]byte{0x47, 0x1f, 0xff, 0x10}, make([]byte, 184)...), 3)
	if _, err := ReadProgram(null); !errors.Is(err, ErrNoProgram) {
		t.Fatalf("null packets: %v", err)
	}
}

func TestSelect(t *testing.T) {
	ts := muxed(t)
	orig := bytes.Clone(ts)
	p, err := ReadProgram(ts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		keep  []int
		kinds []string
	}{
		{"v1", []int{0}, []string{"h264"}},
		{"a1", []int{1}, []string{"aac"}},
		{"a2", []int{2}, []string{"aac"}},
		{"v1a2", []int{0, 2}, []string{"h264", "aac"}},
		{"all", []int{0, 1, 2}, []string{"h264", "aac", "aac"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := Select(ts, p, c.keep)
			if err != nil {
				t.Fatal(err)
			}
			kinds, units := demux(t, out)
			if len(kinds) != len(c.kinds) {
				t.Fatalf("tracks %v, want %v", kinds, c.kinds)
			}
			for i, k := range kinds {
				if k != c.kinds[i] || units[i] != 5 {
					t.Fatalf("track %d: %s with %d units, want %s with 5", i, k, units[i], c.kinds[i])
				}
			}
		})
	}
	if !bytes.Equal(ts, orig) {
		t.Fatal("Select modified its input")
	}
}

// TestSelectAudioDropsPCR: the PMT of an audio selection names no PCR
// stream (the video that carried it is gone).
func TestSelectAudioDropsPCR(t *testing.T) {
	ts := muxed(t)
	p, _ := ReadProgram(ts)
	out, err := Select(ts, p, []int{1})
	if err != nil {
		t.Fatal(err)
	}
	for off := 0; off < len(out); off += PacketSize {
		pkt := out[off : off+PacketSize]
		if pidOf(pkt) != p.PMT {
			continue
		}
		_, sec, err := section(pkt)
		if err != nil || sec == nil {
			t.Fatalf("PMT packet: %v", err)
		}
		if pcr := uint16(sec[8]&0x1f)<<8 | uint16(sec[9]); pcr != noPCRPID {
			t.Fatalf("PCR PID %#x", pcr)
		}
		return
	}
	t.Fatal("no PMT")
}

// FuzzSelect: any bytes are read or refused, never a panic.
func FuzzSelect(f *testing.F) {
	f.Add(muxed(f))
	f.Add(make([]byte, PacketSize))
	f.Fuzz(func(t *testing.T, ts []byte) {
		p, err := ReadProgram(ts)
		if err != nil {
			return
		}
		out, err := Select(ts, p, []int{0})
		if err == nil && len(out)%PacketSize != 0 {
			t.Fatalf("%d bytes out", len(out))
		}
	})
}
