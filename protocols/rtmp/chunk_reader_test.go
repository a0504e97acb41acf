package rtmp

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func TestChunkReaderRoundTrip(t *testing.T) {
	var wire bytes.Buffer
	big := bytes.Repeat([]byte{0xab}, 300)
	for _, m := range []struct {
		typeID  uint8
		payload []byte
	}{{msgCommandAMF0, []byte("hello")}, {msgVideo, big}, {msgAudio, []byte{0xaf, 1, 2}}} {
		if err := writeMessage(&wire, 3, m.typeID, 1, m.payload); err != nil {
			t.Fatal(err)
		}
	}
	cr := newChunkReader(&wire)
	for i, want := range [][]byte{[]byte("hello"), big, {0xaf, 1, 2}} {
		m, err := cr.readMessage()
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if !bytes.Equal(m.payload, want) || m.streamID != 1 {
			t.Errorf("message %d: stream %d payload %x", i, m.streamID, m.payload)
		}
	}
	if _, err := cr.readMessage(); !errors.Is(err, io.EOF) {
		t.Errorf("after the last message: %v", err)
	}
}

func TestChunkReaderHeaders(t *testing.T) {
	// Type 0 with an extended timestamp, a type 3 continuation that repeats
	// it, then a type 2 message (delta 10) and a type 3 message (delta
	// again), after a Set Chunk Size to 4.
	wire := []byte{
		0x02, 0, 0, 0, 0, 0, 4, msgSetChunkSize, 0, 0, 0, 0, 0, 0, 0, 4,
		0x04, 0xff, 0xff, 0xff, 0, 0, 6, msgVideo, 1, 0, 0, 0, 0x01, 0x00, 0x00, 0x00, 'a', 'b', 'c', 'd',
		0xc4, 0x01, 0x00, 0x00, 0x00, 'e', 'f',
		0x84, 0, 0, 10, 'g', 'h', 'i', 'j', 0xc4, 'k', 'l',
		0xc4, 'm', 'n', 'o', 'p', 0xc4, 'q', 'r',
	}
	cr := newChunkReader(bytes.NewReader(wire))
	want := []struct {
		typeID  uint8
		ts      uint32
		payload string
	}{
		{msgSetChunkSize, 0, "\x00\x00\x00\x04"},
		{msgVideo, 0x01000000, "abcdef"},
		{msgVideo, 0x0100000a, "ghijkl"},
		{msgVideo, 0x01000014, "mnopqr"},
	}
	for i, w := range want {
		m, err := cr.readMessage()
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if m.typeID != w.typeID || m.timestamp != w.ts || string(m.payload) != w.payload {
			t.Errorf("message %d: type %d ts %#x payload %q, want %d %#x %q", i, m.typeID, m.timestamp, m.payload, w.typeID, w.ts, w.payload)
		}
	}
}

func FuzzChunkReader(f *testing.F) {
	var wire bytes.Buffer
	_ = writeMessage(&wire, 3, msgCommandAMF0, 0, bytes.Repeat([]byte{1}, 200))
	f.Add(wire.Bytes())
	f.Add([]byte{0x04, 0xff, 0xff, 0xff, 0, 0, 6, msgVideo, 1, 0, 0, 0, 0x01, 0, 0, 0, 'a', 'b', 'c', 'd', 0xc4, 1, 0, 0, 0, 'e', 'f'})
	f.Fuzz(func(_ *testing.T, b []byte) {
		cr := newChunkReader(bytes.NewReader(b))
		for i := 0; i < 100; i++ {
			m, err := cr.readMessage()
			if err != nil {
				return
			}
			if m.typeID == msgCommandAMF0 {
				_, _ = decodeAMF(m.payload)
				_ = checkStatus(m.payload)
			}
		}
	})
}

// A message in many chunks is read into one array of its size: a frame
// aliasing it holds no slack (append's growth left up to an eighth of a
// large one), and its bytes are not copied again chunk after chunk.
func TestChunkReaderMessageAtItsSize(t *testing.T) {
	for _, size := range []int{300, 40000, readPiece, 3*readPiece + 5} {
		var wire bytes.Buffer
		wire.Write(appendChunks(nil, 128, 2, msgSetChunkSize, 0, 0, []byte{0, 0, 0x10, 0})) // 4096
		wire.Write(appendChunks(nil, 4096, 6, msgVideo, 1, 0, videoPayload(size)))
		cr := newChunkReader(&wire)
		if _, err := cr.readMessage(); err != nil {
			t.Fatal(err)
		}
		m, err := cr.readMessage()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(m.payload, videoPayload(size)) || cap(m.payload) != size {
			t.Errorf("%d-byte message: %d bytes in an array of %d", size, len(m.payload), cap(m.payload))
		}
	}
}

func TestGrowMessageBoundsWhatItReserves(t *testing.T) {
	buf := growMessage(nil, 128, 16<<20) // a 16 MiB message announced, 128 bytes sent
	if cap(buf) > readPiece {
		t.Errorf("%d bytes reserved for 128 received, want at most %d", cap(buf), readPiece)
	}
	for len(buf) < 4*readPiece {
		buf = growMessage(buf, 4096, 16<<20)
		if cap(buf) > max(2*len(buf), readPiece) {
			t.Fatalf("%d bytes reserved for %d received", cap(buf), len(buf))
		}
	}
}

// BenchmarkChunkReaderVideo is one 40 KB video message (a 4 Mbit/s
// keyframe) reassembled from 4 KB chunks, as a pulled stream's are.
func BenchmarkChunkReaderVideo(b *testing.B) {
	wire := appendChunks(nil, 128, 2, msgSetChunkSize, 0, 0, []byte{0, 0, 0x10, 0})
	msg := appendChunks(nil, 4096, 6, msgVideo, 1, 0, videoPayload(40000))
	r := bytes.NewReader(wire)
	cr := newChunkReader(r)
	if _, err := cr.readMessage(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(40000)
	for b.Loop() {
		r.Reset(msg)
		cr.r.Reset(r)
		if _, err := cr.readMessage(); err != nil {
			b.Fatal(err)
		}
	}
}
