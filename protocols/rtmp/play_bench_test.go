package rtmp

import (
	"net"
	"testing"
	"time"

	"streamhive/media"
)

// discardConn takes every write, as a viewer's socket that keeps up.
type discardConn struct{ net.Conn }

func (discardConn) Write(b []byte) (int, error)      { return len(b), nil }
func (discardConn) SetWriteDeadline(time.Time) error { return nil }

// BenchmarkPlayFrame is what one RTMP viewer costs per frame: 100
// players of one stream, each with its own sender and connection writer
// (the chunking), given the same frames. An op is one frame sent to one
// viewer, so B/op and allocs/op are per viewer per frame; each frame is a
// new *media.Frame, as the hub gives. "shared" is the server's way (the
// tag body built once per frame, tagCache, counted in the ops);
// "per-viewer" builds it in each viewer's sender, as before the cache.
func BenchmarkPlayFrame(b *testing.B) {
	b.Run("per-viewer", func(b *testing.B) { benchmarkPlayFrame(b, nil) })
	b.Run("shared", func(b *testing.B) { benchmarkPlayFrame(b, &tagCache{}) })
}

func benchmarkPlayFrame(b *testing.B, tags *tagCache) {
	const viewers = 100
	video := media.Track{ID: 0, Codec: media.CodecH264, SPS: []byte{0x67, 0x64, 0, 0x1f}, PPS: []byte{0x68}}
	senders := make([]*pushSender, viewers)
	for i := range senders {
		w := &playWriter{nc: &countingConn{Conn: discardConn{}}, streamID: 1}
		senders[i] = &pushSender{
			tw: w, player: true, tags: tags, started: true,
			tracks: map[int]media.Track{0: video},
		}
	}
	// A 4 Mbit/s picture at 25 frames/s: some 16 KiB in two NAL units.
	nals := [][]byte{make([]byte, 200), make([]byte, 16<<10)}
	nals[0][0], nals[1][0] = 0x06, 0x41
	var f *media.Frame
	b.SetBytes(int64(len(nals[0]) + len(nals[1])))
	b.ResetTimer()
	for i := range b.N {
		if i%viewers == 0 {
			dts := time.Duration(i/viewers) * 40 * time.Millisecond
			f = &media.Frame{Track: 0, DTS: dts, PTS: dts, Data: nals}
		}
		if err := senders[i%viewers].send(f); err != nil {
			b.Fatal(err)
		}
	}
}
