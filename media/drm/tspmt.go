package drm

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"streamhive/media/psi"
)

// The PMT of a SAMPLE-AES segment (Apple's format, 3.0): encrypted
// streams get their own stream types and a private data indicator
// descriptor (ISO/IEC 13818-1 2.6.28); AAC adds its setup information in a
// registration descriptor. The PMT must stay in one packet.

const (
	descRegistration   = 0x05
	descPrivateDataInd = 0x0f
)

var (
	tagZAVC = []byte("zavc")
	tagAACD = []byte("aacd")
	tagAPAD = []byte("apad")
	tagZAAC = []byte("zaac")
)

// protectedEntry returns a clear PMT entry as SAMPLE-AES signals it.
func protectedEntry(e pmtEntry, p TSProgram) ([]byte, error) {
	var typ byte
	var desc []byte
	switch e.Type {
	case streamH264:
		typ = streamH264SAES
		desc = append([]byte{descPrivateDataInd, 4}, tagZAVC...)
	case streamADTS:
		s, _ := p.stream(e.PID)
		if len(s.AudioSetup) == 0 || len(s.AudioSetup) > 255-14 {
			return nil, fmt.Errorf("drm: sample-aes: no audio setup for PID %d", e.PID)
		}
		typ = streamAACSAES
		desc = append([]byte{descPrivateDataInd, 4}, tagAACD...)
		desc = append(desc, descRegistration, byte(4+4+2+1+1+len(s.AudioSetup)))
		desc = append(desc, tagAPAD...)
		desc = append(desc, tagZAAC...)
		desc = append(desc, 0, 0, 1, byte(len(s.AudioSetup))) // priming 0, version 1
		desc = append(desc, s.AudioSetup...)
	default:
		if _, err := kindOf(e.Type); err != nil {
			return nil, err
		}
		return e.Bytes, nil // passes clear, or already says so
	}
	return withDescriptors(e, typ, desc, nil), nil
}

// clearEntry returns a SAMPLE-AES PMT entry as the clear segment had it:
// the inverse of protectedEntry.
func clearEntry(e pmtEntry, _ TSProgram) ([]byte, error) {
	var typ byte
	switch e.Type {
	case streamH264SAES:
		typ = streamH264
	case streamAACSAES:
		typ = streamADTS
	default:
		return e.Bytes, nil
	}
	return withDescriptors(e, typ, nil, func(d []byte) bool {
		return d[0] == descPrivateDataInd && (bytes.Equal(d[2:], tagZAVC) || bytes.Equal(d[2:], tagAACD)) ||
			d[0] == descRegistration && len(d) >= 6 && bytes.Equal(d[2:6], tagAPAD)
	}), nil
}

// withDescriptors returns e with stream type typ, the descriptors drop
// matches removed and add appended.
func withDescriptors(e pmtEntry, typ byte, add []byte, drop func([]byte) bool) []byte {
	out := append([]byte{typ}, e.Bytes[1:5]...)
	for d := e.Bytes[5:]; len(d) >= 2; {
		n := min(2+int(d[1]), len(d))
		if drop == nil || n < 6 || !drop(d[:n]) {
			out = append(out, d[:n]...)
		}
		d = d[n:]
	}
	out = append(out, add...)
	binary.BigEndian.PutUint16(out[3:5], 0xf000|uint16(len(out)-5))
	return out
}

// rewritePMT returns a copy of the PMT packet pkt with each stream entry
// rewritten by entry.
func rewritePMT(pkt []byte, h tsPacket, p TSProgram, entry func(pmtEntry, TSProgram) ([]byte, error)) ([]byte, error) {
	sec, head, err := psiSection(pkt, h)
	if err != nil || sec == nil || sec[0] != pmtTableID {
		return nil, fmt.Errorf("%w: PMT packet without a whole PMT", ErrBadTS)
	}
	es, start, err := pmtEntries(sec)
	if err != nil {
		return nil, err
	}
	ns := slices.Clone(sec[:start])
	for _, e := range es {
		b, err := entry(e, p)
		if err != nil {
			return nil, err
		}
		ns = append(ns, b...)
	}
	n := len(ns) + 4 - 3 // section_length counts from after itself, CRC included
	binary.BigEndian.PutUint16(ns[1:3], binary.BigEndian.Uint16(ns[1:3])&0xf000|uint16(n))
	ns = binary.BigEndian.AppendUint32(ns, psi.CRC32(ns))
	if head+len(ns) > tsPacketSize {
		return nil, fmt.Errorf("drm: sample-aes: the PMT outgrows its packet (%d bytes)", len(ns))
	}
	out := make([]byte, tsPacketSize)
	copy(out, pkt[:head]) // header, adaptation field and pointer field stay
	copy(out[head:], ns)
	for i := head + len(ns); i < tsPacketSize; i++ {
		out[i] = 0xff // stuffing after the section
	}
	return out, nil
}
