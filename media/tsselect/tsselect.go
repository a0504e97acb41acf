// Package tsselect keeps some of an MPEG-TS program's elementary streams:
// the segmenter writes one multiplex of every track (media/segment), and a
// viewer that asks for some tracks gets that multiplex with the other
// streams' packets dropped and the PMT rewritten to list only the kept
// ones. Nothing is re-muxed: kept packets are copied as they are, so
// continuity counters and timestamps stay the segmenter's.
package tsselect

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"streamhive/media/psi"
)

// PacketSize is an MPEG-TS packet's size.
const PacketSize = 188

const (
	syncByte  = 0x47
	patPID    = 0
	noPCRPID  = 0x1fff // "no PCR": a PMT whose PCR stream was dropped
	pmtTable  = 0x02
	patTable  = 0x00
	maxTables = 16 // packets ReadProgram looks at for PAT and PMT
	// maxStreams bounds a PMT's elementary streams: a stream carries tens
	// of tracks at most.
	maxStreams = 64
)

// ErrNoProgram is returned when the bytes start with no PAT and PMT (an LL-HLS part other
// than its segment's first; read the program from that one).
var ErrNoProgram = errors.New("tsselect: no PAT and PMT")

// ErrBad is returned when the bytes are not MPEG-TS this package can read.
var ErrBad = errors.New("tsselect: bad MPEG-TS")

// Program is the layout of a single-program TS, read from its PMT.
type Program struct {
	PMT     uint16   // the PMT's PID
	Streams []uint16 // elementary stream PIDs, in the PMT's order
}

// ReadProgram reads the program of ts from the PAT and PMT among its first
// packets. It wraps ErrNoProgram when they are not there.
func ReadProgram(ts []byte) (Program, error) {
	if len(ts)%PacketSize != 0 {
		return Program{}, fmt.Errorf("%w: %d bytes", ErrBad, len(ts))
	}
	var p Program
	havePMT := false
	for i := 0; i < min(len(ts)/PacketSize, maxTables); i++ {
		pkt := ts[i*PacketSize : (i+1)*PacketSize]
		if pid := pidOf(pkt); pid != patPID && (!havePMT || pid != p.PMT) {
			continue
		}
		pid, sec, err := section(pkt)
		if err != nil {
			return Program{}, err
		}
		switch {
		case sec == nil:
		case pid == patPID && sec[0] == patTable && !havePMT:
			if p.PMT, err = patPMT(sec); err != nil {
				return Program{}, err
			}
			havePMT = true
		case havePMT && pid == p.PMT && sec[0] == pmtTable:
			es, _, err := PMTStreams(sec)
			if err != nil {
				return Program{}, err
			}
			for _, e := range es {
				p.Streams = append(p.Streams, e.PID)
			}
			return p, nil
		}
	}
	return Program{}, ErrNoProgram
}

// Select returns ts with only the elementary streams of p whose indexes
// keep lists (index into p.Streams); PAT, other PIDs and the kept streams
// pass unchanged, the PMT lists only the kept streams (its PCR PID becomes
// "none" when the PCR stream is dropped: players time TS segments by their
// PES timestamps). ts is not modified.
func Select(ts []byte, p Program, keep []int) ([]byte, error) {
	if len(ts)%PacketSize != 0 {
		return nil, fmt.Errorf("%w: %d bytes", ErrBad, len(ts))
	}
	drop := map[uint16]bool{}
	for i, pid := range p.Streams {
		if !slices.Contains(keep, i) {
			drop[pid] = true
		}
	}
	out := make([]byte, 0, len(ts))
	for off := 0; off < len(ts); off += PacketSize {
		pkt := ts[off : off+PacketSize]
		if pkt[0] != syncByte {
			return nil, fmt.Errorf("%w: lost sync at %d", ErrBad, off)
		}
		pid := pidOf(pkt)
		switch {
		case drop[pid]:
		case pid == p.PMT:
			np, err := rewritePMT(pkt, drop)
			if err != nil {
				return nil, err
			}
			out = append(out, np...)
		default:
			out = append(out, pkt...)
		}
	}
	return out, nil
}

func pidOf(pkt []byte) uint16 { return binary.BigEndian.Uint16(pkt[1:3]) & 0x1fff }

// section returns the PSI section that starts in pkt (nil when none
// starts there) and pkt's PID. A section must end within its packet: the
// tables of a program of few streams always do.
func section(pkt []byte) (uint16, []byte, error) {
	pid, _, sec, err := sectionAt(pkt)
	return pid, sec, err
}

// sectionAt is section with the section's offset in pkt.
func sectionAt(pkt []byte) (pid uint16, off int, sec []byte, err error) {
	if pkt[0] != syncByte {
		return 0, 0, nil, fmt.Errorf("%w: lost sync", ErrBad)
	}
	pid = pidOf(pkt)
	if pkt[1]&0x40 == 0 || pkt[3]&0x10 == 0 {
		return pid, 0, nil, nil // no payload unit starts here
	}
	i, err := payloadStart(pkt)
	if err != nil {
		return 0, 0, nil, err
	}
	if i >= PacketSize {
		return pid, 0, nil, nil
	}
	i += 1 + int(pkt[i]) // pointer_field
	if i+3 > PacketSize {
		return pid, 0, nil, nil
	}
	n := int(binary.BigEndian.Uint16(pkt[i+1:i+3]) & 0x0fff)
	if pkt[i] != patTable && pkt[i] != pmtTable {
		return pid, 0, nil, nil // a PES start or another table
	}
	if i+3+n > PacketSize || n < 9 {
		return 0, 0, nil, fmt.Errorf("%w: table of %d bytes at PID %d", ErrBad, n, pid)
	}
	return pid, i, pkt[i : i+3+n], nil
}

// payloadStart returns the offset of pkt's payload, past any adaptation
// field.
func payloadStart(pkt []byte) (int, error) {
	i := 4
	if pkt[3]&0x20 != 0 {
		i += 1 + int(pkt[4])
	}
	if i > PacketSize {
		return 0, fmt.Errorf("%w: adaptation field too long", ErrBad)
	}
	return i, nil
}

// patPMT returns the PMT PID of the PAT's first program.
func patPMT(sec []byte) (uint16, error) {
	body := sec[8 : len(sec)-4] // past the header, before the CRC
	for ; len(body) >= 4; body = body[4:] {
		if binary.BigEndian.Uint16(body) != 0 { // program 0 is the network PID
			return binary.BigEndian.Uint16(body[2:]) & 0x1fff, nil
		}
	}
	return 0, fmt.Errorf("%w: PAT without a program", ErrBad)
}

// PMTStream is one elementary stream entry of a PMT: its stream type, its
// PID and its bytes (descriptors included).
type PMTStream struct {
	Type  byte
	PID   uint16
	Bytes []byte
}

// PMTStreams splits a PMT section into its elementary stream entries
// (at most 64, each bounded by the section) and returns the offset where
// they start. media/drm's SAMPLE-AES rewrite reads PMTs with it too.
func PMTStreams(sec []byte) ([]PMTStream, int, error) {
	if len(sec) < 16 {
		return nil, 0, fmt.Errorf("%w: short PMT", ErrBad)
	}
	start := 12 + int(binary.BigEndian.Uint16(sec[10:12])&0x0fff)
	end := len(sec) - 4
	if start > end {
		return nil, 0, fmt.Errorf("%w: PMT program info overruns", ErrBad)
	}
	var es []PMTStream
	for i := start; i < end; {
		if i+5 > end || len(es) == maxStreams {
			return nil, 0, fmt.Errorf("%w: PMT stream list", ErrBad)
		}
		n := 5 + int(binary.BigEndian.Uint16(sec[i+3:i+5])&0x0fff)
		if i+n > end {
			return nil, 0, fmt.Errorf("%w: PMT stream entry overruns", ErrBad)
		}
		es = append(es, PMTStream{Type: sec[i], PID: binary.BigEndian.Uint16(sec[i+1:i+3]) & 0x1fff, Bytes: sec[i : i+n]})
		i += n
	}
	return es, start, nil
}

// rewritePMT returns a copy of the PMT packet pkt listing only the
// streams drop leaves. A PMT packet with no section start (a
// continuation) cannot occur for tables that fit a packet; it is an error.
func rewritePMT(pkt []byte, drop map[uint16]bool) ([]byte, error) {
	_, head, sec, err := sectionAt(pkt)
	if err != nil {
		return nil, err
	}
	if sec == nil || sec[0] != pmtTable {
		return nil, fmt.Errorf("%w: PMT packet without a whole PMT", ErrBad)
	}
	es, start, err := PMTStreams(sec)
	if err != nil {
		return nil, err
	}
	ns := slices.Clone(sec[:start])
	for _, e := range es {
		if !drop[e.PID] {
			ns = append(ns, e.Bytes...)
		}
	}
	if drop[binary.BigEndian.Uint16(ns[8:10])&0x1fff] {
		binary.BigEndian.PutUint16(ns[8:10], 0xe000|noPCRPID)
	}
	n := len(ns) + 4 - 3 // section_length counts from after itself, CRC included
	binary.BigEndian.PutUint16(ns[1:3], binary.BigEndian.Uint16(ns[1:3])&0xf000|uint16(n))
	ns = binary.BigEndian.AppendUint32(ns, psi.CRC32(ns))
	out := make([]byte, PacketSize)
	copy(out, pkt[:head]) // header, adaptation field and pointer field stay
	copy(out[head:], ns)
	for i := head + len(ns); i < PacketSize; i++ {
		out[i] = 0xff // stuffing after the section
	}
	return out, nil
}
