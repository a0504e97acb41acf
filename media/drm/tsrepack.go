package drm

import (
	"encoding/binary"
	"fmt"
)

// tsRewriter replaces the PES packets of some PIDs of a segment with
// transformed ones, keeping every packet's header and adaptation field
// (PCR, random access flag) where it was. A PES whose size changed (H.264
// emulation prevention bytes come and go with encryption) fills its packets
// in order, as a muxer does, so the difference lands in its last ones: it
// takes stuffing from or gives it to its last packet, and only when that is
// not enough gains packets after it or empties its last ones (a packet
// keeping a PCR stays, as an adaptation field alone), and then its PID's
// continuity counters are renumbered from the segment's first. A PES that
// shrinks back to its size before is laid out as it was.
type tsRewriter struct {
	ts    []byte
	repl  map[int][][]byte // packet index -> the packets that replace it
	renum map[uint16]bool  // PIDs whose packet count changed
}

// replacePES puts pes, transformed, in place of the packets at slots.
func (w *tsRewriter) replacePES(slots []int, pes []byte) {
	left := pes
	for k, i := range slots {
		pkt := w.packet(i)
		h, _ := tsPacketAt(pkt) // read once already
		core := pkt[4:h.afCore]
		take := min(tsPacketSize-4-len(core), len(left))
		if k == len(slots)-1 {
			w.replaceLast(i, k == 0, pkt, core, left)
			return
		}
		if take <= 0 {
			w.renum[h.pid] = true
			w.repl[i] = w.emptied(pkt, core)
			continue
		}
		w.repl[i] = [][]byte{buildPacket(pkt, k == 0, core, left[:take])}
		left = left[take:]
	}
}

// replaceLast fills the PES's last packet and adds packets for what does
// not fit it.
func (w *tsRewriter) replaceLast(i int, start bool, pkt, core, left []byte) {
	h, _ := tsPacketAt(pkt)
	if len(left) == 0 {
		w.renum[h.pid] = true
		w.repl[i] = w.emptied(pkt, core)
		return
	}
	take := min(tsPacketSize-4-len(core), len(left))
	out := [][]byte{buildPacket(pkt, start, core, left[:take])}
	for left = left[take:]; len(left) > 0; {
		n := min(tsPacketSize-4, len(left))
		out = append(out, buildPacket(pkt, false, nil, left[:n]))
		left = left[n:]
		w.renum[h.pid] = true
	}
	w.repl[i] = out
}

// emptied is what is left of a packet whose payload moved: its adaptation
// field alone when it carries something (a PCR stays where it was), else
// nothing (an adaptation field of flags 0 is stuffing).
func (w *tsRewriter) emptied(pkt, core []byte) [][]byte {
	if len(core) < 2 || core[1] == 0 {
		return nil
	}
	p := buildPacket(pkt, false, core, nil)
	p[3] &^= 0x10 // adaptation field only: no payload, the counter does not move
	return [][]byte{p}
}

func (w *tsRewriter) packet(i int) []byte { return w.ts[i*tsPacketSize : (i+1)*tsPacketSize] }

// buildPacket is a packet with orig's PID, scrambling bits and counter, the
// adaptation field core (length byte, flags and fields; nil: none) and
// payload, stuffed to 188 bytes in its adaptation field.
func buildPacket(orig []byte, start bool, core, payload []byte) []byte {
	out := make([]byte, tsPacketSize)
	out[0], out[1], out[2] = tsSync, orig[1]&^0x40, orig[2]
	if start {
		out[1] |= 0x40
	}
	out[3] = orig[3] & 0xcf
	if len(payload) > 0 {
		out[3] |= 0x10
	}
	room := tsPacketSize - 4 - len(payload)
	if len(core) == 0 && room == 0 {
		copy(out[4:], payload)
		return out
	}
	out[3] |= 0x20
	out[4] = byte(room - 1)
	if len(core) >= 2 {
		copy(out[5:], core[1:])
	} else if room >= 2 {
		out[5] = 0 // no flags
	}
	for j := 4 + max(len(core), 2); j < 4+room; j++ {
		out[j] = 0xff
	}
	copy(out[4+room:], payload)
	return out
}

// bytes assembles the segment and renumbers the continuity counters of
// the PIDs whose packet count changed.
func (w *tsRewriter) bytes() []byte {
	out := make([]byte, 0, len(w.ts)+tsPacketSize)
	last := map[uint16]byte{} // a renumbered PID's last counter
	for i := range len(w.ts) / tsPacketSize {
		pkts, ok := w.repl[i]
		if !ok {
			pkts = [][]byte{w.packet(i)}
		}
		for _, p := range pkts {
			out = append(out, p...)
			pid := binary.BigEndian.Uint16(p[1:3]) & 0x1fff
			if !w.renum[pid] {
				continue
			}
			q := out[len(out)-tsPacketSize:]
			cc, seen := last[pid]
			switch {
			case !seen:
				cc = q[3] & 0x0f
			case q[3]&0x10 != 0: // only a packet with payload moves the counter
				cc = (cc + 1) & 0x0f
			}
			q[3] = q[3]&0xf0 | cc
			last[pid] = cc
		}
	}
	return out
}

// pesOf gathers the payloads of the packets at slots into one PES.
func (w *tsRewriter) pesOf(slots []int) ([]byte, error) {
	var pes []byte
	for _, i := range slots {
		pkt := w.packet(i)
		h, err := tsPacketAt(pkt)
		if err != nil {
			return nil, err
		}
		if h.payload < tsPacketSize {
			pes = append(pes, pkt[h.payload:]...)
		}
	}
	if len(pes) == 0 {
		return nil, fmt.Errorf("%w: empty PES", ErrBadTS)
	}
	return pes, nil
}
