package mpegts

// maxUnit bounds one PES unit. mediacommon bounds an access unit at 8 MiB
// (its note: a 50 Mbit/s 2160p60 H.264 picture stays below that); a unit
// that grows past it has lost its end and is dropped.
const maxUnit = 8 << 20

type pidKind int

const (
	pidPAT pidKind = iota
	pidPMT
	pidES
)

// pidState is what we follow on one PID: its continuity counter and the
// section or PES unit being assembled.
type pidState struct {
	kind pidKind
	es   *elementary // pidES

	cc     int    // last continuity_counter, -1 before the first packet
	unit   []byte // the section bytes or PES unit assembled so far
	inUnit bool   // unit has its start
	want   int    // PES: 6+PES_packet_length when that is not 0
	last   int    // PES: the size of the previous unit, to size the next
}

// continuity outcomes.
const (
	ccOK = iota
	ccDuplicate
	ccGap
)

// continuity checks a packet's continuity_counter (§2.4.3.3): it
// increments by one per packet with payload, modulo 16; a packet may be
// sent twice; the discontinuity_indicator resets it. Packets without
// payload keep the counter and are not checked. lost is how many packets
// a gap skipped, modulo 16 (a gap of 16 packets looks continuous).
func (st *pidState) continuity(h *header) (outcome, lost int) {
	if !h.hasPayload {
		return ccOK, 0
	}
	cc := int(h.cc)
	prev := st.cc
	st.cc = cc
	switch {
	case prev < 0, h.discontinuity:
		return ccOK, 0
	case cc == prev:
		return ccDuplicate, 0
	case cc == (prev+1)&15:
		return ccOK, 0
	}
	return ccGap, (cc - prev - 1) & 15
}

// onPacket handles one packet.
func (d *Demuxer) onPacket(h *header) error {
	if h.tei {
		d.stats.TS.TransportErrors.Add(1)
		return nil
	}
	st := d.pids[h.pid]
	if st == nil {
		return nil
	}
	switch outcome, lost := st.continuity(h); outcome {
	case ccDuplicate:
		return nil
	case ccGap:
		d.stats.TS.CCErrors.Add(1)
		d.stats.TS.LostPackets.Add(uint64(lost))
		d.breakUnit(st)
	}
	if h.scrambling != 0 {
		d.stats.TS.Scrambled.Add(1)
		d.breakUnit(st)
		return nil
	}
	if len(h.payload) == 0 {
		return nil
	}
	if st.kind == pidES {
		return d.onPESPacket(st, h.start, h.payload)
	}
	return d.onPSIPacket(st, h.start, h.payload)
}

// breakUnit drops the unit being assembled on st, counting it.
func (d *Demuxer) breakUnit(st *pidState) {
	if !st.inUnit {
		return
	}
	if st.kind == pidES {
		d.broken()
	} else {
		d.psiError(st)
	}
	st.unit, st.inUnit = nil, false
}

// onPESPacket assembles PES units. A unit ends at the next unit start on
// its PID, or as soon as PES_packet_length is reached. Fragments whose
// unit start we never saw (joining mid-unit, or after a gap that was
// counted already) are dropped.
func (d *Demuxer) onPESPacket(st *pidState, start bool, payload []byte) error {
	switch {
	case start:
		if st.inUnit {
			if err := d.completeUnit(st); err != nil {
				return err
			}
		}
		st.inUnit, st.want = true, 0
		if len(payload) >= 6 {
			if n := int(payload[4])<<8 | int(payload[5]); n != 0 {
				st.want = 6 + n
			}
		}
		st.unit = append(make([]byte, 0, unitCap(st.want, st.last)), payload...)
	case !st.inUnit:
		return nil
	case len(st.unit)+len(payload) > maxUnit:
		d.breakUnit(st)
		return nil
	default:
		st.unit = append(st.unit, payload...)
	}
	if st.want > 0 && len(st.unit) >= st.want {
		return d.completeUnit(st)
	}
	return nil
}

// unitCap is the room a new PES unit gets: its length when the header
// gives it, else the previous unit's size and a quarter more, so that a
// video unit (PES_packet_length 0) mostly takes one allocation that its
// frame keeps, instead of growing by doubling from a few kilobytes.
func unitCap(want, last int) int {
	if want > 0 {
		return want
	}
	return min(max(last+last/4, 4096), maxUnit)
}

// completeUnit hands the unit on st to its stream's codec. The unit's
// bytes then belong to the frames made from it.
func (d *Demuxer) completeUnit(st *pidState) error {
	unit := st.unit
	st.last = len(unit)
	st.unit, st.inUnit = nil, false
	return d.onUnit(st.es, unit)
}

// onPSIPacket assembles sections (§2.4.4.1-2): a unit start carries a
// pointer_field saying how many bytes still finish the previous section.
func (d *Demuxer) onPSIPacket(st *pidState, start bool, payload []byte) error {
	if !start {
		if !st.inUnit {
			return nil
		}
		if len(st.unit)+len(payload) > 3+maxSectionLength {
			d.breakUnit(st)
			return nil
		}
		st.unit = append(st.unit, payload...)
		return d.sections(st)
	}
	ptr := int(payload[0])
	if 1+ptr > len(payload) {
		d.psiError(st)
		st.unit, st.inUnit = nil, false
		return nil
	}
	if st.inUnit {
		st.unit = append(st.unit, payload[1:1+ptr]...)
		if err := d.sections(st); err != nil {
			return err
		}
		d.breakUnit(st) // whatever is left never got its end
	}
	st.unit = append([]byte(nil), payload[1+ptr:]...)
	st.inUnit = true
	return d.sections(st)
}

// sections handles every complete section at the front of st.unit.
func (d *Demuxer) sections(st *pidState) error {
	for st.inUnit {
		b := st.unit
		if len(b) == 0 || b[0] == 0xff { // done, or stuffing up to the packet's end
			st.unit, st.inUnit = nil, false
			return nil
		}
		if len(b) < 3 {
			return nil
		}
		n := int(b[1]&0x0f)<<8 | int(b[2])
		if n > maxSectionLength {
			d.breakUnit(st)
			return nil
		}
		if len(b) < 3+n {
			return nil
		}
		st.unit = b[3+n:]
		if err := d.onSection(st, b[:3+n]); err != nil {
			return err
		}
	}
	return nil
}

// dropSection counts an invalid section and drops it; like dropUnit it
// returns nil.
func (d *Demuxer) dropSection(st *pidState, _ error) error {
	d.psiError(st)
	return nil
}

// psiError counts an invalid PAT or PMT section.
func (d *Demuxer) psiError(st *pidState) {
	if st.kind == pidPAT {
		d.stats.TS.PATErrors.Add(1)
	} else {
		d.stats.TS.PMTErrors.Add(1)
	}
	d.stats.Errors.Add(1)
}
