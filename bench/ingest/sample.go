package main

import (
	"context"
	"errors"
	"os"
	"slices"
	"time"

	"streamhive/bench/internal/benchkit"
	"streamhive/bench/internal/rtmppub"
)

// tsPacket is the MPEG-TS packet size; chunk is what one UDP datagram or
// SRT message carries (7 packets, the size every IPTV sender uses).
const (
	tsPacket = 188
	chunk    = 7 * tsPacket
)

// pcrHz is the PCR clock (ISO/IEC 13818-1 §2.4.2.2): 27 MHz.
const pcrHz = 27_000_000

// paced is one chunk of the sample and when it is due, from the start of
// a loop, by the last PCR at or before it.
type paced struct {
	data []byte
	at   time.Duration
}

// sample is the pre-encoded TS that every publisher replays.
type sample struct {
	chunks []paced
	length time.Duration // one loop
	bytes  int
}

// samples are the one encoding in the forms the protocols need.
type samples struct {
	ts   *sample         // udp, srt
	flv  *rtmppub.Sample // rtmp; nil unless asked for
	rtsp *rtspSample     // rtsp; nil unless asked for
}

// mbps is one publisher's rate in proto's form: TS bytes for udp and
// srt, FLV tag bodies for rtmp, RTP packets (header + payload) for rtsp.
func (s samples) mbps(proto string) float64 {
	var bytes int
	var loop time.Duration
	switch {
	case proto == "rtmp" && s.flv != nil:
		for _, t := range s.flv.Tags {
			if !t.Header() {
				bytes += len(t.Data)
			}
		}
		loop = s.flv.Loop
	case proto == "rtsp" && s.rtsp != nil:
		for _, u := range s.rtsp.units {
			bytes += u.bytes
		}
		loop = s.rtsp.length
	default:
		bytes, loop = s.ts.bytes, s.ts.length
	}
	return float64(bytes*8) / loop.Seconds() / 1e6
}

// prepareSamples encodes the sample once and derives the FLV and RTP
// forms the chosen protocols need, without encoding again.
func prepareSamples(ctx context.Context, dir string, o options) (samples, error) {
	var smp samples
	path, err := benchkit.EncodeSample(ctx, dir, o.seconds)
	if err != nil {
		return smp, err
	}
	if smp.ts, err = loadSample(path); err != nil {
		return smp, err
	}
	if slices.Contains(o.protocols, "rtmp") {
		flv, err := benchkit.RemuxFLV(ctx, path)
		if err != nil {
			return smp, err
		}
		if smp.flv, err = rtmppub.LoadFLV(flv); err != nil {
			return smp, err
		}
	}
	if slices.Contains(o.protocols, "rtsp") {
		if smp.rtsp, err = loadRTSPSample(path); err != nil {
			return smp, err
		}
	}
	return smp, nil
}

// loadSample cuts a TS file into chunks timed by its PCRs.
func loadSample(path string) (*sample, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b = b[:len(b)/tsPacket*tsPacket]
	s := &sample{bytes: len(b)}
	var first, last int64 = -1, -1
	for off := 0; off < len(b); off += chunk {
		end := min(len(b), off+chunk)
		at := last
		for p := off; p < end; p += tsPacket {
			if pcr, ok := packetPCR(b[p : p+tsPacket]); ok {
				if first < 0 {
					first = pcr
				}
				if at < 0 {
					at = pcr
				}
				last = pcr
			}
		}
		if first < 0 {
			at = 0
		} else if at < 0 {
			at = first
		}
		s.chunks = append(s.chunks, paced{data: b[off:end], at: time.Duration((at - max(first, 0)) * int64(time.Second) / pcrHz)})
	}
	if first < 0 || last <= first {
		return nil, errors.New("sample: no PCR to pace by")
	}
	// one loop: the PCR span plus one average chunk interval
	span := time.Duration((last - first) * int64(time.Second) / pcrHz)
	s.length = span + span/time.Duration(len(s.chunks))
	return s, nil
}

// packetPCR returns a packet's PCR in 27 MHz ticks, if it carries one.
func packetPCR(p []byte) (int64, bool) {
	if p[0] != 0x47 || p[3]&0x20 == 0 || p[4] < 7 || p[5]&0x10 == 0 {
		return 0, false
	}
	base := int64(p[6])<<25 | int64(p[7])<<17 | int64(p[8])<<9 | int64(p[9])<<1 | int64(p[10])>>7
	ext := int64(p[10]&1)<<8 | int64(p[11])
	return base*300 + ext, true
}
