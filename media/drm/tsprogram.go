package drm

import (
	"fmt"
	"slices"
)

// MPEG-TS stream types SAMPLE-AES reads and writes (ISO/IEC 13818-1 and
// Apple's "MPEG-2 Stream Encryption Format for HTTP Live Streaming", 3.0).
const (
	streamH264     = 0x1b
	streamADTS     = 0x0f
	streamH264SAES = 0xdb
	streamAACSAES  = 0xcf
	streamID3      = 0x15 // timed metadata: not media, passes clear
	streamSCTE35   = 0x86 // splice information: passes clear
)

// TSProgram is the layout of a single-program MPEG-TS segment, read from
// its PAT and PMT.
type TSProgram struct {
	PMT     uint16
	Streams []TSStream // in the PMT's order
}

// TSStream is one elementary stream of a TSProgram.
type TSStream struct {
	PID  uint16
	Type byte // stream_type as the PMT gives it
	// AudioSetup is an AAC stream's AudioSpecificConfig, read from its
	// first ADTS header: SAMPLE-AES carries it in the PMT.
	AudioSetup []byte
}

// ReadTSProgram reads ts's program from its PAT and PMT and each AAC
// stream's setup from its first frame. It wraps ErrNoTSProgram when ts has
// no tables (an LL-HLS part after its segment's first).
func ReadTSProgram(ts []byte) (TSProgram, error) {
	if err := checkTSSize(ts); err != nil {
		return TSProgram{}, err
	}
	p, at, err := findPMT(ts)
	if err != nil {
		return TSProgram{}, err
	}
	for i := range p.Streams {
		s := &p.Streams[i]
		if s.Type != streamADTS {
			continue
		}
		if s.AudioSetup = firstADTSSetup(ts[at:], s.PID); s.AudioSetup == nil {
			return TSProgram{}, fmt.Errorf("%w: no AAC frame on PID %d to read its setup from", ErrBadTS, s.PID)
		}
	}
	return p, nil
}

func checkTSSize(ts []byte) error {
	if len(ts)%tsPacketSize != 0 || len(ts) > maxSampleAESBytes {
		return fmt.Errorf("%w: %d bytes", ErrBadTS, len(ts))
	}
	return nil
}

// findPMT returns the program of the first PAT and PMT in ts and the
// offset of the PMT's packet.
func findPMT(ts []byte) (TSProgram, int, error) {
	var p TSProgram
	havePAT := false
	for off := 0; off < len(ts); off += tsPacketSize {
		pkt := ts[off : off+tsPacketSize]
		h, err := tsPacketAt(pkt)
		if err != nil {
			return TSProgram{}, 0, err
		}
		if h.pid != patPID && (!havePAT || h.pid != p.PMT) {
			continue
		}
		sec, _, err := psiSection(pkt, h)
		switch {
		case err != nil:
			return TSProgram{}, 0, err
		case sec == nil:
		case h.pid == patPID && sec[0] == patTableID && !havePAT:
			if p.PMT, err = patPMT(sec); err != nil {
				return TSProgram{}, 0, err
			}
			havePAT = true
		case havePAT && h.pid == p.PMT && sec[0] == pmtTableID:
			es, _, err := pmtEntries(sec)
			if err != nil {
				return TSProgram{}, 0, err
			}
			for _, e := range es {
				p.Streams = append(p.Streams, TSStream{PID: e.PID, Type: e.Type})
			}
			return p, off, nil
		}
	}
	return TSProgram{}, 0, ErrNoTSProgram
}

// firstADTSSetup returns the AudioSpecificConfig of the first ADTS frame
// of pid in ts, nil when there is none: the frame starts its PES, whose
// header and first ADTS header fit the first packet.
func firstADTSSetup(ts []byte, pid uint16) []byte {
	for off := 0; off < len(ts); off += tsPacketSize {
		pkt := ts[off : off+tsPacketSize]
		h, err := tsPacketAt(pkt)
		if err != nil || h.pid != pid || !h.start || h.payload >= tsPacketSize {
			continue
		}
		pes := pkt[h.payload:]
		if len(pes) < 9 || pes[0] != 0 || pes[1] != 0 || pes[2] != 1 || 9+int(pes[8])+7 > len(pes) {
			return nil
		}
		return adtsSetup(pes[9+int(pes[8]):])
	}
	return nil
}

// adtsSetup builds the 2-byte AudioSpecificConfig an ADTS header
// describes (ISO/IEC 14496-3 1.6.2.1, 1.A.2.2); nil when adts does not
// start with one.
func adtsSetup(adts []byte) []byte {
	if len(adts) < 7 || adts[0] != 0xff || adts[1]&0xf0 != 0xf0 {
		return nil
	}
	objectType := adts[2]>>6 + 1
	freq := adts[2] >> 2 & 0x0f
	channels := adts[2]&1<<2 | adts[3]>>6
	return []byte{objectType<<3 | freq>>1, freq&1<<7 | channels<<3}
}

// kindOf says how SAMPLE-AES treats a stream type: 'v' H.264, 'a' AAC,
// 0 passes clear; an error for media it cannot encrypt (a protected
// stream never goes out with a clear track).
func kindOf(typ byte) (byte, error) {
	switch typ {
	case streamH264, streamH264SAES:
		return 'v', nil
	case streamADTS, streamAACSAES:
		return 'a', nil
	case streamID3, streamSCTE35:
		return 0, nil
	}
	return 0, fmt.Errorf("drm: sample-aes cannot encrypt MPEG-TS stream type %#02x", typ)
}

// kinds maps the program's media PIDs to their kind.
func (p TSProgram) kinds() (map[uint16]byte, error) {
	k := make(map[uint16]byte, len(p.Streams))
	for _, s := range p.Streams {
		kind, err := kindOf(s.Type)
		if err != nil {
			return nil, err
		}
		if kind != 0 {
			k[s.PID] = kind
		}
	}
	return k, nil
}

func (p TSProgram) stream(pid uint16) (TSStream, bool) {
	i := slices.IndexFunc(p.Streams, func(s TSStream) bool { return s.PID == pid })
	if i < 0 {
		return TSStream{}, false
	}
	return p.Streams[i], true
}
