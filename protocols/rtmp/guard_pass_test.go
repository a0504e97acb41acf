package rtmp

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"testing"
)

// readerConn is a net.Conn that reads from r; nothing else is used.
type readerConn struct {
	net.Conn
	r io.Reader
}

func (c readerConn) Read(p []byte) (int, error) { return c.r.Read(p) }

// guardAfterHandshake is a guard reading the chunk stream in b.
func guardAfterHandshake(r io.Reader) *guardConn {
	g := newGuardConn(readerConn{r: r})
	g.handshake = 0
	return g
}

// chunkSizeMessage sets the chunk size to 4096, in 128-byte chunks.
func chunkSizeMessage() []byte {
	return appendChunks(nil, 128, 2, msgSetChunkSize, 0, 0, binary.BigEndian.AppendUint32(nil, 4096))
}

func videoPayload(n int) []byte {
	p := bytes.Repeat([]byte{0xab}, n)
	p[0] = 0x17
	return p
}

// TestGuardPassesMediaChunks: the guard hands go-rtmp every byte it was
// sent, in order; the chunks of a video message as soon as they are read,
// before the message is complete, but nothing after the first chunk of an
// AMF message until that message is complete and checked.
func TestGuardPassesMediaChunks(t *testing.T) {
	amf := []byte{0x02, 0, 10, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a', 0x05} // "onMetaData", null
	whole := chunkSizeMessage()
	whole = appendChunks(whole, 4096, 4, msgDataAMF0, 1, 0, amf)
	whole = appendChunks(whole, 4096, 6, msgVideo, 1, 0, videoPayload(20000))

	got, err := io.ReadAll(guardAfterHandshake(bytes.NewReader(whole)))
	if err != nil || !bytes.Equal(got, whole) {
		t.Fatalf("whole stream: %d of %d bytes through (err %v)", len(got), len(whole), err)
	}

	// The stream cut after two of the video message's five chunks: those
	// two have gone on.
	cut := len(whole) - (20000 - 2*4096) - 3*1
	got, _ = io.ReadAll(guardAfterHandshake(bytes.NewReader(whole[:cut])))
	if !bytes.Equal(got, whole[:cut]) {
		t.Errorf("video cut short: %d of %d bytes through", len(got), cut)
	}

	// An AMF message in two chunks, its first chunk followed by a whole
	// video message: nothing passes after the AMF message's start.
	long := append([]byte{0x02, 0x13, 0x88}, bytes.Repeat([]byte{'x'}, 5000)...)
	held := chunkSizeMessage()
	amfStart := len(held)
	held = appendChunks(held, 4096, 4, msgDataAMF0, 1, 0, long)
	firstChunk := held[:amfStart+12+4096]
	stream := append(append([]byte{}, firstChunk...), appendChunks(nil, 4096, 6, msgVideo, 1, 0, videoPayload(3000))...)
	got, _ = io.ReadAll(guardAfterHandshake(bytes.NewReader(stream)))
	if !bytes.Equal(got, held[:amfStart]) {
		t.Errorf("AMF message incomplete: %d bytes through, want %d", len(got), amfStart)
	}
}

// loopReader reads b again and again.
type loopReader struct {
	b   []byte
	off int
}

func (r *loopReader) Read(p []byte) (int, error) {
	n := copy(p, r.b[r.off:])
	r.off = (r.off + n) % len(r.b)
	return n, nil
}

// BenchmarkGuardVideo passes one 16 KB video message (4 Mbit/s at 30
// frames/s) through the guard, as go-rtmp reads it.
func BenchmarkGuardVideo(b *testing.B) {
	msg := appendChunks(nil, 4096, 6, msgVideo, 1, 0, videoPayload(16<<10))
	src := &loopReader{b: msg}
	g := guardAfterHandshake(io.MultiReader(bytes.NewReader(chunkSizeMessage()), src))
	buf := make([]byte, len(msg))
	if _, err := io.ReadFull(g, buf[:len(chunkSizeMessage())]); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := io.ReadFull(g, buf); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzGuard: whatever a client sends after the handshake, the guard hands
// go-rtmp a prefix of it, byte for byte, and never panics.
func FuzzGuard(f *testing.F) {
	f.Add(appendChunks(nil, 128, 6, msgVideo, 1, 0, videoPayload(300)))
	f.Add(appendChunks(nil, 128, 3, msgCommandAMF0, 0, 0, []byte{0x02, 0, 1, 'x', 0x05}))
	f.Add([]byte{0x06, 0, 0, 0, 0, 0, 9, msgVideo, 1, 0, 0, 0, 0x17})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, _ := io.ReadAll(guardAfterHandshake(bytes.NewReader(b)))
		if !bytes.HasPrefix(b, got) {
			t.Fatalf("handed on %x, not a prefix of %x", got, b)
		}
	})
}
