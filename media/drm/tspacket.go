package drm

import (
	"encoding/binary"
	"errors"
	"fmt"

	"streamhive/media/tsselect"
)

// A bounded MPEG-TS packet walker of our own, not go-astits: SAMPLE-AES
// changes bytes inside PES payloads and the PMT and must give back every
// other byte as it was (adaptation fields, PCRs, continuity counters,
// packet order), which a demuxer/muxer pair would not. protocols/mpegts is
// out of media's reach. Every length read from the bytes is checked
// against the packet before it is used.

const (
	tsPacketSize = 188
	tsSync       = 0x47
	patPID       = 0
	patTableID   = 0x00
	pmtTableID   = 0x02
	// maxSampleAESBytes bounds a segment this package encrypts (a few
	// seconds of a high bit rate stream is tens of MB).
	maxSampleAESBytes = 1 << 30
)

// ErrBadTS is wrapped by the errors of MPEG-TS bytes that cannot be read.
var ErrBadTS = errors.New("drm: bad MPEG-TS")

// ErrNoTSProgram is returned when a TS has no PAT and PMT (an LL-HLS part
// other than its segment's first: read the program from that one).
var ErrNoTSProgram = errors.New("drm: MPEG-TS without PAT and PMT")

// tsPacket is one parsed packet header; the bytes stay in the segment.
type tsPacket struct {
	pid     uint16
	start   bool // payload_unit_start_indicator
	payload int  // offset of the payload in the packet; tsPacketSize: none
	afCore  int  // end of the adaptation field less its stuffing (4: none)
}

func tsPacketAt(pkt []byte) (tsPacket, error) {
	if pkt[0] != tsSync {
		return tsPacket{}, fmt.Errorf("%w: lost sync", ErrBadTS)
	}
	p := tsPacket{
		pid:     binary.BigEndian.Uint16(pkt[1:3]) & 0x1fff,
		start:   pkt[1]&0x40 != 0,
		payload: 4,
		afCore:  4,
	}
	if pkt[3]&0x20 != 0 {
		n := int(pkt[4])
		if 5+n > tsPacketSize {
			return tsPacket{}, fmt.Errorf("%w: adaptation field of %d bytes", ErrBadTS, n)
		}
		core, err := afCoreEnd(pkt[4 : 5+n])
		if err != nil {
			return tsPacket{}, err
		}
		p.afCore = 4 + core
		p.payload = 5 + n
	}
	if pkt[3]&0x10 == 0 {
		p.payload = tsPacketSize
	}
	return p, nil
}

// afCoreEnd returns the length of an adaptation field (its length byte
// first) without its trailing stuffing bytes.
func afCoreEnd(af []byte) (int, error) {
	if len(af) < 2 {
		return len(af), nil // the length byte alone, or nothing to parse
	}
	flags, i := af[1], 2
	if flags&0x10 != 0 { // PCR
		i += 6
	}
	if flags&0x08 != 0 { // OPCR
		i += 6
	}
	if flags&0x04 != 0 { // splice countdown
		i++
	}
	if flags&0x02 != 0 && i < len(af) { // private data
		i += 1 + int(af[i])
	}
	if flags&0x01 != 0 && i < len(af) { // extension
		i += 1 + int(af[i])
	}
	if i > len(af) {
		return 0, fmt.Errorf("%w: adaptation field overruns", ErrBadTS)
	}
	return i, nil
}

// psiSection returns the PAT or PMT section starting in pkt and its
// offset; nil when none starts there. A section must end in its packet:
// SAMPLE-AES requires the PMT to fit one.
func psiSection(pkt []byte, p tsPacket) ([]byte, int, error) {
	if !p.start || p.payload >= tsPacketSize {
		return nil, 0, nil
	}
	i := p.payload + 1 + int(pkt[p.payload]) // pointer_field
	if i+3 > tsPacketSize {
		return nil, 0, nil
	}
	if pkt[i] != patTableID && pkt[i] != pmtTableID {
		return nil, 0, nil
	}
	n := int(binary.BigEndian.Uint16(pkt[i+1:i+3]) & 0x0fff)
	if n < 9 || i+3+n > tsPacketSize {
		return nil, 0, fmt.Errorf("%w: table of %d bytes at PID %d", ErrBadTS, n, p.pid)
	}
	return pkt[i : i+3+n], i, nil
}

// pmtEntry is one elementary stream of a PMT.
type pmtEntry = tsselect.PMTStream

// pmtEntries splits a PMT section into its streams (tsselect's splitter)
// and returns the offset where they start.
func pmtEntries(sec []byte) ([]pmtEntry, int, error) {
	es, start, err := tsselect.PMTStreams(sec)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %w", ErrBadTS, err)
	}
	return es, start, nil
}

// patPMT returns the PMT PID of a PAT section's first program.
func patPMT(sec []byte) (uint16, error) {
	for body := sec[8 : len(sec)-4]; len(body) >= 4; body = body[4:] {
		if binary.BigEndian.Uint16(body) != 0 { // program 0 is the network PID
			return binary.BigEndian.Uint16(body[2:]) & 0x1fff, nil
		}
	}
	return 0, fmt.Errorf("%w: PAT without a program", ErrBadTS)
}

// pesES returns the offset of the elementary stream data in a PES packet
// and the PES_packet_length field (0: unbounded).
func pesES(pes []byte) (int, int, error) {
	if len(pes) < 9 || pes[0] != 0 || pes[1] != 0 || pes[2] != 1 {
		return 0, 0, fmt.Errorf("%w: no PES start code", ErrBadTS)
	}
	declared := int(binary.BigEndian.Uint16(pes[4:6]))
	off := 9 + int(pes[8])
	if off > len(pes) || (declared != 0 && 6+declared != len(pes)) {
		return 0, 0, fmt.Errorf("%w: PES of %d bytes says %d", ErrBadTS, len(pes), declared)
	}
	return off, declared, nil
}
