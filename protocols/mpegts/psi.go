package mpegts

import (
	"errors"
	"fmt"

	"streamhive/media"
	"streamhive/media/psi"
)

// PSI table ids and limits (ISO/IEC 13818-1 §2.4.4).
const (
	tableIDPAT = 0x00
	tableIDPMT = 0x02

	// maxSectionLength is section_length's limit for PAT and PMT
	// (§2.4.4.3: "shall not exceed 1021").
	maxSectionLength = 1021
)

// Stream types this package carries (§2.4.4.9, Table 2-34; H.265 from
// Amd. 3; Opus as registered with a "Opus" registration descriptor).
const (
	streamTypeADTS    = 0x0f
	streamTypeH264    = 0x1b
	streamTypeH265    = 0x24
	streamTypePrivate = 0x06
)

// Descriptor tags used to recognise Opus ("Encapsulation of Opus in
// MPEG-2 Transport Streams": a registration descriptor "Opus", and a DVB
// extension descriptor carrying the channel configuration).
const (
	descRegistration = 0x05
	descExtension    = 0x7f
	extOpusAudio     = 0x80
)

var errSection = errors.New("bad section")

// section is a long-form PSI section whose CRC checked out.
type section struct {
	tableID byte
	ext     uint16 // transport_stream_id (PAT) or program_number (PMT)
	current bool   // current_next_indicator
	body    []byte // after last_section_number, before CRC_32
}

// parseSection parses one complete section of 3+section_length bytes.
func parseSection(b []byte) (section, error) {
	var s section
	if len(b) < 12 {
		return s, fmt.Errorf("%w: %d bytes", errSection, len(b))
	}
	if b[1]&0x80 == 0 {
		return s, fmt.Errorf("%w: section_syntax_indicator not set", errSection)
	}
	if psi.CRC32(b) != 0 {
		return s, fmt.Errorf("%w: CRC mismatch", errSection)
	}
	s.tableID = b[0]
	s.ext = uint16(b[3])<<8 | uint16(b[4])
	s.current = b[5]&1 == 1
	s.body = b[8 : len(b)-4]
	return s, nil
}

// program is one PAT entry.
type program struct {
	number uint16
	pmtPID uint16
}

// parsePAT lists a PAT section's programs, leaving out program 0 (the
// network PID).
func parsePAT(s section) ([]program, error) {
	if s.tableID != tableIDPAT || len(s.body)%4 != 0 {
		return nil, fmt.Errorf("%w: PAT table_id %#x, %d bytes of programs", errSection, s.tableID, len(s.body))
	}
	var out []program
	for b := s.body; len(b) >= 4; b = b[4:] {
		n := uint16(b[0])<<8 | uint16(b[1])
		if n != 0 {
			out = append(out, program{number: n, pmtPID: uint16(b[2]&0x1f)<<8 | uint16(b[3])})
		}
	}
	return out, nil
}

// esInfo is one PMT elementary stream entry.
type esInfo struct {
	pid        uint16
	streamType byte
	codec      media.Codec // "" when we cannot carry it
	channels   int         // Opus: from the extension descriptor, default 2
}

// parsePMT lists a PMT section's elementary streams.
func parsePMT(s section) ([]esInfo, error) {
	b := s.body
	if s.tableID != tableIDPMT || len(b) < 4 {
		return nil, fmt.Errorf("%w: PMT table_id %#x, %d bytes", errSection, s.tableID, len(b))
	}
	infoLen := int(b[2]&0x0f)<<8 | int(b[3])
	if 4+infoLen > len(b) {
		return nil, fmt.Errorf("%w: PMT program_info_length %d", errSection, infoLen)
	}
	b = b[4+infoLen:]
	var out []esInfo
	for len(b) > 0 {
		if len(b) < 5 {
			return nil, fmt.Errorf("%w: PMT stream entry of %d bytes", errSection, len(b))
		}
		e := esInfo{streamType: b[0], pid: uint16(b[1]&0x1f)<<8 | uint16(b[2])}
		n := int(b[3]&0x0f)<<8 | int(b[4])
		if 5+n > len(b) {
			return nil, fmt.Errorf("%w: PMT ES_info_length %d", errSection, n)
		}
		e.codec, e.channels = streamCodec(e.streamType, b[5:5+n])
		out = append(out, e)
		b = b[5+n:]
	}
	return out, nil
}

// streamCodec maps a stream type and its descriptors to a codec.
func streamCodec(streamType byte, desc []byte) (media.Codec, int) {
	switch streamType {
	case streamTypeH264:
		return media.CodecH264, 0
	case streamTypeH265:
		return media.CodecH265, 0
	case streamTypeADTS:
		return media.CodecAAC, 0
	case streamTypePrivate:
		opus, channels := false, 2
		for len(desc) >= 2 && 2+int(desc[1]) <= len(desc) {
			tag, body := desc[0], desc[2:2+int(desc[1])]
			switch {
			case tag == descRegistration && len(body) >= 4 && string(body[:4]) == "Opus":
				opus = true
			case tag == descExtension && len(body) >= 2 && body[0] == extOpusAudio && body[1] >= 1 && body[1] <= 8:
				channels = int(body[1])
			}
			desc = desc[2+len(body):]
		}
		if opus {
			return media.CodecOpus, channels
		}
	}
	return "", 0
}
