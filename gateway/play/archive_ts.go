package play

import (
	"bufio"
	"log/slog"
	"time"

	"github.com/valyala/fasthttp"

	"streamhive/media/dvr"
)

// serveArchiveTS answers archive-FROM-DUR.ts: the range's records as one
// MPEG-TS file. Records are the stream's TS multiplex already, but a gap
// (a restart, a new epoch) restarts its continuity counters and may
// restart its clock, so each record passes through a tsJoiner that keeps
// every PID's counter running and shifts timestamps to run on (a gap stays
// a jump of its wall-clock length). The viewer's session counts each
// record's bytes; the file ends early when the session ends, and the
// session (mpegts: one response, as a connection) closes with the file.
func (h *Handler) serveArchiveTS(rc *fasthttp.RequestCtx, a dvr.Archive, r route, g grant) {
	from := unix(r.arc.win.from)
	recs := a.Records(from, from.Add(secsDur(r.arc.win.secs)))
	if len(recs) == 0 {
		h.archiveFailed(rc, r.name, errNoRecording)
		return
	}
	// The first record is read now: one gone already is a 404, not an
	// empty 200.
	first, err := a.ReadTS(recs[0])
	if err != nil {
		h.archiveFailed(rc, r.name, err)
		return
	}
	rc.SetStatusCode(fasthttp.StatusOK)
	rc.SetContentType(typeTS)
	rc.Response.Header.Set(fasthttp.HeaderCacheControl, cacheNone)
	if rc.IsHead() {
		return
	}
	name, log := r.name, h.log
	rc.SetBodyStreamWriter(func(bw *bufio.Writer) {
		defer g.Close()
		var j tsJoiner
		for i, rec := range recs {
			select {
			case <-g.Ended():
				return
			default:
			}
			b := first
			if i > 0 {
				if b, err = a.ReadTS(rec); err != nil {
					log.Warn("play: archive ts cut short", slog.String("stream", name), slog.Any("err", err))
					return
				}
			}
			out := j.join(b, recs, i)
			if _, err := bw.Write(out); err != nil {
				return // the client left
			}
			g.Sent(len(out))
		}
		_ = bw.Flush()
	})
}

// tsPacket is the MPEG-TS packet size.
const tsPacket = 188

// tsClock is the 33-bit PTS/DTS/PCR-base modulus.
const tsClock = 1 << 33

// tsJoiner concatenates TS records into one multiplex. Not for concurrent
// use.
type tsJoiner struct {
	cc    map[uint16]byte // last continuity counter sent per PID
	shift int64           // 90 kHz units added to PTS, DTS and PCR
	ends  time.Duration   // where the previous record ended, on the output timeline
}

// join returns record i of recs (its bytes b) rewritten to follow the
// records before it. b is not modified.
func (j *tsJoiner) join(b []byte, recs []dvr.Record, i int) []byte {
	rec := recs[i]
	if j.cc == nil {
		j.cc = map[uint16]byte{}
	}
	if i > 0 && rec.Gap {
		gap := max(rec.Start.Sub(recs[i-1].End()), 0)
		j.shift = int64((j.ends + gap - rec.DTS) * 90000 / time.Second)
	}
	j.ends = rec.DTS + rec.Duration + time.Duration(j.shift)*time.Second/90000
	out := make([]byte, len(b)-len(b)%tsPacket)
	copy(out, b)
	for p := 0; p+tsPacket <= len(out); p += tsPacket {
		j.packet(out[p : p+tsPacket])
	}
	return out
}

// packet rewrites one packet in place: its continuity counter, and its
// PCR and PES timestamps by shift.
func (j *tsJoiner) packet(pk []byte) {
	if pk[0] != 0x47 {
		return
	}
	pid := uint16(pk[1]&0x1f)<<8 | uint16(pk[2])
	afc := pk[3] >> 4 & 3
	if prev, ok := j.cc[pid]; ok {
		cc := prev
		if afc&1 != 0 { // only packets with payload count
			cc = (prev + 1) & 0xf
		}
		pk[3] = pk[3]&0xf0 | cc
	}
	j.cc[pid] = pk[3] & 0xf
	if j.shift == 0 {
		return
	}
	payload := 4
	if afc&2 != 0 {
		n := int(pk[4])
		if n > 0 && 5+n <= tsPacket && pk[5]&0x10 != 0 && n >= 7 { // PCR
			shiftPCR(pk[6:12], j.shift)
		}
		payload = 5 + n
	}
	if afc&1 != 0 && pk[1]&0x40 != 0 && payload+14 <= tsPacket {
		shiftPES(pk[payload:], j.shift)
	}
}

// shiftPCR adds shift to a PCR's 33-bit base.
func shiftPCR(b []byte, shift int64) {
	base := int64(b[0])<<25 | int64(b[1])<<17 | int64(b[2])<<9 | int64(b[3])<<1 | int64(b[4]>>7)
	base = ((base+shift)%tsClock + tsClock) % tsClock
	b[0], b[1], b[2], b[3] = byte(base>>25), byte(base>>17), byte(base>>9), byte(base>>1)
	b[4] = b[4]&0x7f | byte(base&1)<<7
}

// shiftPES adds shift to the PTS and DTS of a PES header at the start of
// p (ISO/IEC 13818-1 2.4.3.6); anything else is left alone.
func shiftPES(p []byte, shift int64) {
	if p[0] != 0 || p[1] != 0 || p[2] != 1 || p[6]>>6 != 2 {
		return
	}
	flags := p[7] >> 6
	if flags&2 != 0 {
		shiftTimestamp(p[9:14], shift)
	}
	if flags == 3 && len(p) >= 19 {
		shiftTimestamp(p[14:19], shift)
	}
}

// shiftTimestamp adds shift to a 5-byte PES timestamp, keeping its prefix
// and marker bits.
func shiftTimestamp(b []byte, shift int64) {
	ts := int64(b[0]>>1&7)<<30 | int64(b[1])<<22 | int64(b[2]>>1)<<15 | int64(b[3])<<7 | int64(b[4]>>1)
	ts = ((ts+shift)%tsClock + tsClock) % tsClock
	b[0] = b[0]&0xf1 | byte(ts>>29)&0x0e
	b[1] = byte(ts >> 22)
	b[2] = byte(ts>>14) | 1
	b[3] = byte(ts >> 7)
	b[4] = byte(ts<<1) | 1
}
