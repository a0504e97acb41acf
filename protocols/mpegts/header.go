package mpegts

// header is what the demuxer reads of one 188-byte packet (ISO/IEC
// 13818-1 §2.4.3.2-5). payload aliases the packet.
type header struct {
	pid           uint16
	tei           bool // transport_error_indicator
	start         bool // payload_unit_start_indicator
	scrambling    byte // transport_scrambling_control
	hasPayload    bool // adaptation_field_control says a payload follows
	cc            byte // continuity_counter
	discontinuity bool // the adaptation field's discontinuity_indicator
	payload       []byte
}

// patPID is the PID of the program association table.
const patPID = 0

// parseHeader reads a packet's header and adaptation field length in
// place: no copy, no allocation (go-astits allocated a packet, its
// adaptation field and a copy of the payload for each of them). ok is
// false when the adaptation field is longer than the packet: its header
// cannot be trusted either. pkt is packetSize bytes starting with the
// sync byte (the framer's guarantee).
func parseHeader(pkt []byte) (h header, ok bool) {
	h.tei = pkt[1]&0x80 != 0
	h.start = pkt[1]&0x40 != 0
	h.pid = uint16(pkt[1]&0x1f)<<8 | uint16(pkt[2])
	h.scrambling = pkt[3] >> 6
	afc := pkt[3] >> 4 & 3
	h.hasPayload = afc&1 != 0
	h.cc = pkt[3] & 0x0f
	off := 4
	if afc&2 != 0 {
		n := int(pkt[4])
		if 5+n > packetSize {
			return h, false
		}
		if n > 0 {
			h.discontinuity = pkt[5]&0x80 != 0
		}
		off = 5 + n
	}
	if h.hasPayload {
		h.payload = pkt[off:packetSize]
	}
	return h, true
}
