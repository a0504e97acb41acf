package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
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

// encodeSample makes seconds of 1280x720 H.264 and AAC at about 4 Mbit/s
// in all (constant-rate TS), once per run, so publishing costs no encoder.
func encodeSample(ctx context.Context, dir string, seconds int) (string, error) {
	path := filepath.Join(dir, "sample.ts")
	d := fmt.Sprint(seconds)
	cmd := exec.CommandContext(ctx, "ffmpeg", "-v", "error", "-nostdin",
		"-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration="+d,
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration="+d,
		"-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-pix_fmt", "yuv420p",
		"-b:v", "3800k", "-minrate", "3800k", "-maxrate", "3800k", "-bufsize", "3800k", "-x264-params", "nal-hrd=cbr",
		"-c:a", "aac", "-b:a", "128k", "-f", "mpegts", "-muxrate", "4000k", "-y", path)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("ffmpeg: %w\n%s", err, out)
	}
	return path, nil
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
