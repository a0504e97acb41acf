package whep

import (
	"sync"

	"streamhive/media"
)

// rtpMTU bounds an RTP payload: with the RTP header, SRTP's tag, UDP and
// IP it stays under the 1280 bytes every IPv6 path carries.
const rtpMTU = 1200

// cacheFrames is how many frames' payloads the cache keeps: enough for
// the slowest viewer still in its consumer's queue (the hub's queue is
// bounded), a few seconds of audio and video. A frame that left it is
// packetised again, never lost.
const cacheFrames = 512

// Packet payloads of one frame, shared read-only by every viewer.
type payloads struct {
	once sync.Once
	p    [][]byte
}

// payloadCache packetises each frame once for all its viewers. Frames are
// immutable and each is written to one hub, so the frame pointer is the
// key; the oldest entries go first.
type payloadCache struct {
	mu   sync.Mutex
	m    map[*media.Frame]*payloads
	ring [cacheFrames]*media.Frame
	next int
}

func newPayloadCache() *payloadCache {
	return &payloadCache{m: make(map[*media.Frame]*payloads, cacheFrames)}
}

// get returns f's payloads, making them with pack the first time.
func (c *payloadCache) get(f *media.Frame, pack func(*media.Frame) [][]byte) [][]byte {
	c.mu.Lock()
	e, ok := c.m[f]
	if !ok {
		e = &payloads{}
		if old := c.ring[c.next]; old != nil {
			delete(c.m, old)
		}
		c.ring[c.next] = f
		c.next = (c.next + 1) % cacheFrames
		c.m[f] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.p = pack(f) })
	return e.p
}

// H.264 NAL unit types we look at (RFC 6184).
const (
	nalSPS  = 7
	nalPPS  = 8
	nalAUD  = 9
	nalFUA  = 28
	nalType = 0x1f
)

// packH264 packetises one access unit in packetization mode 1: a NAL unit
// that fits is one packet (single NAL unit), a larger one is split into
// FU-A fragments. A keyframe without its parameter sets gets the track's
// first, so a viewer can start at any keyframe. Access unit delimiters
// are dropped (RTP's marker bit ends the access unit).
func packH264(f *media.Frame, tr media.Track) [][]byte {
	nals := f.Data
	if f.Keyframe && !hasNAL(nals, nalSPS) && len(tr.SPS) > 0 && len(tr.PPS) > 0 {
		nals = append([][]byte{tr.SPS, tr.PPS}, nals...)
	}
	var out [][]byte
	for _, n := range nals {
		if len(n) == 0 || n[0]&nalType == nalAUD {
			continue
		}
		if len(n) <= rtpMTU {
			out = append(out, n) // shared with the frame: nobody writes either
			continue
		}
		out = appendFUA(out, n)
	}
	return out
}

func appendFUA(out [][]byte, n []byte) [][]byte {
	indicator := n[0]&0xe0 | nalFUA
	kind := n[0] & nalType
	body := n[1:]
	for first := true; len(body) > 0; first = false {
		size := min(len(body), rtpMTU-2)
		header := kind
		if first {
			header |= 0x80
		}
		if size == len(body) {
			header |= 0x40
		}
		p := make([]byte, 0, size+2)
		p = append(p, indicator, header)
		p = append(p, body[:size]...)
		out = append(out, p)
		body = body[size:]
	}
	return out
}

func hasNAL(nals [][]byte, kind byte) bool {
	for _, n := range nals {
		if len(n) > 0 && n[0]&nalType == kind {
			return true
		}
	}
	return false
}

// packOpus: an Opus packet is one RTP payload (RFC 7587).
func packOpus(f *media.Frame, _ media.Track) [][]byte {
	if len(f.Data) == 0 || len(f.Data[0]) == 0 {
		return nil
	}
	return f.Data[:1]
}
