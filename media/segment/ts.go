package segment

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h265"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/mpeg4audio"

	"streamhive/media"
	"streamhive/media/psi"
)

// The MPEG-TS muxer (ISO/IEC 13818-1) is written here by hand rather than
// taken from a library, because it is on the hottest path of the server:
// every frame of every stream passes through it. mediacommon's Writer
// (over go-astits) allocated nine times per frame (PES and adaptation
// field structs, the Annex B and ADTS encodings of each access unit,
// stuffing) and copied every byte twice before it reached our buffer: a
// seventh of the server's CPU in a profile of 20 RTMP streams. This one
// writes the 188-byte packets straight into the output buffer (sized from
// the length the counting muxer noted, tsdemand.go), copying each payload
// byte once from the frame, and allocates nothing per frame. Its
// output follows what the library's was, so players see no change: PIDs
// 256 on in track order, the PMT on PID 0x1000, an AUD before every video
// access unit, SPS/PPS (and VPS) before keyframes, AAC as ADTS, Opus with
// its control headers, PCR on the leading track 100 ms before its DTS.

// tsBase shifts MPEG-TS timestamps so that the PCR, which is 100 ms before
// the DTS, is never negative.
const tsBase = 10 * time.Second

// TSBase is where time 0 of the frames lands in MPEG-TS timestamps, for
// those that map another timeline onto it (WebVTT's X-TIMESTAMP-MAP).
const TSBase = tsBase

const (
	tsPacket    = 188
	tsPayload   = tsPacket - 4 // a packet's bytes after its header
	pmtPID      = 0x1000
	firstPID    = 256
	pcrLead     = 90000 / 10 // PCR ahead of the leading track's DTS, 90 kHz
	tablesEvery = 40         // PES packets between PAT/PMT repeats, at least
	maxADTS     = 1<<13 - 1 - 7
	ptsMask     = 1<<33 - 1
)

// Stream types and PES stream IDs.
const (
	typeH264, typeH265, typeAAC, typePrivate = 0x1b, 0x24, 0x0f, 0x06
	idVideo, idAudio, idPrivate1             = 0xe0, 0xc0, 0xbd
)

var (
	startCode = []byte{0, 0, 0, 1}
	aud264    = []byte{byte(h264.NALUTypeAccessUnitDelimiter), 0xf0}
	aud265    = []byte{byte(h265.NALUType_AUD_NUT) << 1, 1, 0x50}
)

var errADTSSize = errors.New("segment: AAC access unit too long for ADTS")

// tsMux writes frames as MPEG-TS into out, or only counts the bytes it
// would write (count). The segmenter keeps one counting muxer per epoch,
// so continuity counters run on across segments, and notes its state at
// the start of every part (tsState); the bytes are made on demand from the
// part's CMAF by a writing muxer started from that state (tsdemand.go).
//
// PAT and PMT start every segment (fresh), precede every
// random-access frame of the leading track and repeat at least every
// tablesEvery PES packets. For an audio-only stream every frame is one, so
// each LL-HLS part, which may start at any frame, begins with them.
type tsMux struct {
	out     []byte // the writing muxer's output
	count   bool   // count bytes into size instead of writing them
	size    int    // bytes counted
	fresh   bool   // the next frame starts a segment: tables first
	media   []media.Track
	streams []tsStream // by track ID
	lead    int        // the PCR track: the first video track, else track 0

	pat, pmt     [tsPacket]byte // made once; only the continuity counter changes
	patCC, pmtCC byte
	sinceTables  int

	// The frame being written, reused: its PES payload as pieces (header,
	// start codes, NAL units, ADTS or Opus headers) and the headers' bytes.
	pieces  [][]byte
	headers []byte
	pes     [19]byte
	nals    [][]byte     // the frame's payload, split back from its CMAF sample
	readers []fragReader // the part's fragments, read in decode order
}

// tsStream is one elementary stream of the program.
type tsStream struct {
	pid      uint16
	cc       byte
	video    bool
	streamID byte
	adts     [3]byte // an AAC stream's fixed ADTS header bytes 1..3
}

func newTSMux(tracks []media.Track) (*tsMux, error) {
	m := &tsMux{media: tracks, streams: make([]tsStream, len(tracks)), lead: -1}
	for i, t := range tracks {
		st := &m.streams[i]
		st.pid = uint16(firstPID + i)
		st.video = t.Codec.Kind() == media.KindVideo
		switch t.Codec {
		case media.CodecH264, media.CodecH265:
			st.streamID = idVideo
		case media.CodecAAC:
			st.streamID = idAudio
			if err := st.setADTS(t); err != nil {
				return nil, err
			}
		case media.CodecOpus:
			st.streamID = idPrivate1
		default:
			return nil, fmt.Errorf("segment: track %d codec %q: %w", t.ID, t.Codec, media.ErrUnsupportedCodec)
		}
		if st.video && m.lead < 0 {
			m.lead = i
		}
	}
	m.lead = max(m.lead, 0)
	m.pat = tablePacket(0, patSection())
	m.pmt = tablePacket(pmtPID, m.pmtSection())
	return m, nil
}

// setADTS keeps the ADTS header bits fixed for the track: profile,
// sampling frequency index and channel configuration (ISO/IEC 14496-3
// 1.A.2.2.1; the frame length is filled in per frame).
func (st *tsStream) setADTS(t media.Track) error {
	var conf mpeg4audio.AudioSpecificConfig
	if err := conf.Unmarshal(t.AudioConfig); err != nil {
		return fmt.Errorf("segment: aac track %d: %w", t.ID, err)
	}
	rate := slices.Index(adtsRates, conf.SampleRate)
	ch := conf.ChannelCount
	if ch == 8 {
		ch = 7
	}
	if rate < 0 || ch < 1 || ch > 7 || conf.Type < 1 || conf.Type > 4 {
		return fmt.Errorf("segment: aac track %d (type %d, %d Hz, %d channels) does not fit ADTS: %w",
			t.ID, conf.Type, conf.SampleRate, conf.ChannelCount, media.ErrUnsupportedCodec)
	}
	st.adts = [3]byte{0xf1, byte(int(conf.Type-1)<<6 | rate<<2 | ch>>2), byte(ch&3) << 6}
	return nil
}

var adtsRates = []int{96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350}

// tsFits checks what the muxer would refuse of f, a frame of track t,
// before it is kept: an AAC access unit too long for ADTS.
func tsFits(f *media.Frame, t media.Track) error {
	if t.Codec != media.CodecAAC {
		return nil
	}
	if n := len(f.Data[0]); n > maxADTS {
		return fmt.Errorf("%w: %d bytes", errADTSSize, n)
	}
	return nil
}

// write muxes f with output timestamps dts and pts.
func (m *tsMux) write(f *media.Frame, dts, pts time.Duration) error {
	st, t := &m.streams[f.Track], &m.media[f.Track]
	d, p := clock90k(dts+tsBase), clock90k(pts+tsBase)
	m.pieces, m.headers = append(m.pieces[:0], nil), m.headers[:0] // pieces[0]: the PES header
	switch t.Codec {
	case media.CodecH264:
		m.annexB(f, aud264, hasH264SPS, t.SPS, t.PPS)
	case media.CodecH265:
		m.annexB(f, aud265, hasH265SPS, t.VPS, t.SPS, t.PPS)
	case media.CodecAAC:
		if err := m.adtsFrames(st, f.Data); err != nil {
			return err
		}
		d = p
	default:
		m.opusPackets(f.Data)
		d = p
	}
	size := 0
	for _, b := range m.pieces[1:] {
		size += len(b)
	}
	m.pieces[0] = m.pesHeader(st, d, p, size)
	lead := f.Track == m.lead
	if m.fresh || m.sinceTables >= tablesEvery || (lead && f.Keyframe) {
		m.writeTables()
	}
	m.sinceTables++
	af := adaptation{random: f.Keyframe || !st.video, pcr: -1}
	if lead {
		af.pcr = (d - pcrLead) & ptsMask
	}
	m.packetize(st, af, len(m.pieces[0])+size)
	return nil
}

// clock90k converts d to the 90 kHz clock, rounding: a source's 90 kHz
// timestamp came in as a duration floored to the nanosecond, and comes out
// as the tick it was (toUnits, flooring, would give one tick less).
func clock90k(d time.Duration) int64 {
	return (int64(d)*9 + 50_000) / 100_000
}

// annexB lists a video access unit as Annex B: an AUD first (video.js,
// iOS and QuickTime want one), then the parameter sets before a keyframe
// that lacks them (MPEG-TS has no init segment), then the frame's NAL
// units, each after a 4-byte start code.
func (m *tsMux) annexB(f *media.Frame, aud []byte, hasSPS func([][]byte) bool, params ...[]byte) {
	nals := f.Data
	if len(nals[0]) > 0 && nals[0][0] == aud[0] {
		aud, nals = nals[0], nals[1:]
	}
	m.pieces = append(m.pieces, startCode, aud)
	if f.Keyframe && !hasSPS(nals) {
		for _, ps := range params {
			m.pieces = append(m.pieces, startCode, ps)
		}
	}
	for _, n := range nals {
		if len(n) > 0 {
			m.pieces = append(m.pieces, startCode, n)
		}
	}
}

// adtsFrames lists AAC access units, each after its 7-byte ADTS header
// (no CRC, buffer fullness 0x7ff as FFmpeg writes it).
func (m *tsMux) adtsFrames(st *tsStream, aus [][]byte) error {
	m.headers = slices.Grow(m.headers, 7*len(aus)) // the pieces point into it: no growth below
	for _, au := range aus {
		if len(au) > maxADTS {
			return fmt.Errorf("%w: %d bytes", errADTSSize, len(au))
		}
		n := len(au) + 7
		at := len(m.headers)
		m.headers = append(m.headers, 0xff, st.adts[0], st.adts[1], st.adts[2]|byte(n>>11), byte(n>>3), byte(n&7)<<5|0x1f, 0xfc)
		m.pieces = append(m.pieces, m.headers[at:], au)
	}
	return nil
}

// opusPackets lists Opus packets, each after its opus_control_header
// ("Encapsulation of Opus in MPEG-2 Transport Streams" §5.2: no trims, no
// extension, au_size as 0xff bytes and a last one).
func (m *tsMux) opusPackets(packets [][]byte) {
	size := 0
	for _, p := range packets {
		size += 3 + len(p)/255
	}
	m.headers = slices.Grow(m.headers, size)
	for _, p := range packets {
		at := len(m.headers)
		m.headers = append(m.headers, 0x7f, 0xe0)
		for n := len(p); ; n -= 255 {
			if n < 255 {
				m.headers = append(m.headers, byte(n))
				break
			}
			m.headers = append(m.headers, 0xff)
		}
		m.pieces = append(m.pieces, m.headers[at:], p)
	}
}

// pesHeader fills m.pes for a payload of size bytes: PTS, and DTS where it
// differs. A video PES leaves its length open (0), as it may pass 64 KiB.
func (m *tsMux) pesHeader(st *tsStream, dts, pts int64, size int) []byte {
	h := m.pes[:]
	n, flags := 14, byte(0x80)
	if dts != pts {
		n, flags = 19, 0xc0
	}
	length := n - 6 + size
	if st.video || length > 0xffff {
		length = 0
	}
	h[0], h[1], h[2], h[3] = 0, 0, 1, st.streamID
	h[4], h[5] = byte(length>>8), byte(length)
	h[6], h[7], h[8] = 0x84, flags, byte(n-9) // '10', data_alignment_indicator
	putTimestamp(h[9:14], flags>>6, pts)
	if n == 19 {
		putTimestamp(h[14:19], 1, dts)
	}
	return h[:n]
}

// putTimestamp writes a 33-bit PTS or DTS with its 4-bit prefix and
// marker bits.
func putTimestamp(b []byte, prefix byte, ts int64) {
	ts &= ptsMask
	b[0] = prefix<<4 | byte(ts>>29)&0x0e | 1
	b[1] = byte(ts >> 22)
	b[2] = byte(ts>>14) | 1
	b[3] = byte(ts >> 7)
	b[4] = byte(ts<<1) | 1
}

// adaptation is what a PES's first packet carries in its adaptation field.
type adaptation struct {
	random bool  // random_access_indicator
	pcr    int64 // program clock reference base, 90 kHz; -1: none
}

// size is the adaptation field's length in the first packet, its length
// byte included; 0 when there is none.
func (a adaptation) size() int {
	switch {
	case a.pcr >= 0:
		return 8
	case a.random:
		return 2
	}
	return 0
}

// packetize writes the PES of total bytes listed in m.pieces as packets of
// st's PID straight into out: the last packet is filled up with adaptation
// field stuffing, never with bytes after the payload.
func (m *tsMux) packetize(st *tsStream, af adaptation, total int) {
	first := af.size()
	n := 1
	if rest := total - (tsPayload - first); rest > 0 {
		n += (rest + tsPayload - 1) / tsPayload
	}
	if m.count {
		st.cc = (st.cc + byte(n)) & 0x0f
		m.size += n * tsPacket
		return
	}
	buf := slices.Grow(m.out, n*tsPacket)
	at := len(buf)
	buf = buf[:at+n*tsPacket]
	src := pieceReader{pieces: m.pieces}
	for i := range n {
		pkt := buf[at+i*tsPacket : at+(i+1)*tsPacket]
		afLen := 0
		if i == 0 {
			afLen = first
		}
		take := min(tsPayload-afLen, total)
		afLen += tsPayload - afLen - take // stuffing
		total -= take
		pkt[0], pkt[1], pkt[2], pkt[3] = 0x47, byte(st.pid>>8)&0x1f, byte(st.pid), 0x10|st.cc
		st.cc = (st.cc + 1) & 0x0f
		if i == 0 {
			pkt[1] |= 0x40 // payload_unit_start_indicator
		}
		o := 4
		if afLen > 0 {
			pkt[3] |= 0x20
			o = writeAdaptation(pkt[4:4+afLen], af, i == 0) + 4
		}
		src.read(pkt[o:])
	}
	m.out = buf
}

// writeAdaptation fills b, a whole adaptation field (length byte
// included), with first's flags and PCR when first, and stuffing.
func writeAdaptation(b []byte, af adaptation, first bool) int {
	b[0] = byte(len(b) - 1)
	if len(b) == 1 {
		return 1
	}
	b[1] = 0
	o := 2
	if first {
		if af.random {
			b[1] |= 0x40
		}
		if af.pcr >= 0 {
			b[1] |= 0x10
			p := af.pcr
			b[2], b[3], b[4], b[5] = byte(p>>25), byte(p>>17), byte(p>>9), byte(p>>1)
			b[6], b[7] = byte(p&1)<<7|0x7e, 0 // 6 reserved bits, extension 0
			o = 8
		}
	}
	for i := o; i < len(b); i++ {
		b[i] = 0xff
	}
	return len(b)
}

// pieceReader reads a list of byte slices as one stream.
type pieceReader struct {
	pieces [][]byte
	i, off int
}

// read fills b from the pieces; they hold at least len(b) more bytes.
func (r *pieceReader) read(b []byte) {
	for len(b) > 0 {
		n := copy(b, r.pieces[r.i][r.off:])
		b, r.off = b[n:], r.off+n
		if r.off == len(r.pieces[r.i]) {
			r.i, r.off = r.i+1, 0
		}
	}
}

// writeTables appends PAT and PMT with their next continuity counters.
func (m *tsMux) writeTables() {
	m.pat[3], m.pmt[3] = 0x10|m.patCC, 0x10|m.pmtCC
	m.patCC, m.pmtCC = (m.patCC+1)&0x0f, (m.pmtCC+1)&0x0f
	m.sinceTables, m.fresh = 0, false
	if m.count {
		m.size += 2 * tsPacket
		return
	}
	m.out = append(append(m.out, m.pat[:]...), m.pmt[:]...)
}

// patSection is the PAT: program 1 on pmtPID.
func patSection() []byte {
	return psiSection(0x00, 1, []byte{0, 1, 0xe0 | pmtPID>>8, pmtPID & 0xff})
}

// pmtSection is the PMT: the PCR on the leading track's PID, then every
// track's stream type, PID and descriptors (Opus: its registration and
// channel count, as the Opus-in-TS encapsulation defines them).
func (m *tsMux) pmtSection() []byte {
	lead := m.streams[m.lead].pid
	body := []byte{0xe0 | byte(lead>>8), byte(lead), 0xf0, 0}
	for i, t := range m.media {
		var typ byte
		var desc []byte
		switch t.Codec {
		case media.CodecH264:
			typ = typeH264
		case media.CodecH265:
			typ = typeH265
		case media.CodecAAC:
			typ = typeAAC
		default:
			typ = typePrivate
			desc = []byte{0x05, 4, 'O', 'p', 'u', 's', 0x7f, 2, 0x80, byte(channels(t))}
		}
		pid := m.streams[i].pid
		body = append(body, typ, 0xe0|byte(pid>>8), byte(pid), 0xf0, byte(len(desc)))
		body = append(body, desc...)
	}
	return psiSection(0x02, 1, body)
}

// psiSection is a long-form section (version 0, current, section 0 of 0)
// of table id with the table id extension ext and the CRC.
func psiSection(id byte, ext uint16, body []byte) []byte {
	length := 5 + len(body) + 4
	s := []byte{id, 0xb0 | byte(length>>8), byte(length), byte(ext >> 8), byte(ext), 0xc1, 0, 0}
	s = append(s, body...)
	c := psi.CRC32(s)
	return append(s, byte(c>>24), byte(c>>16), byte(c>>8), byte(c))
}

// tablePacket is a packet of pid carrying section alone, after a pointer
// field of 0, filled up with 0xff.
func tablePacket(pid uint16, section []byte) [tsPacket]byte {
	var p [tsPacket]byte
	p[0], p[1], p[2], p[3] = 0x47, 0x40|byte(pid>>8), byte(pid), 0x10
	n := 5 + copy(p[5:], section)
	for i := n; i < tsPacket; i++ {
		p[i] = 0xff
	}
	return p
}

func hasH264SPS(au [][]byte) bool {
	for _, n := range au {
		if len(n) > 0 && h264.NALUType(n[0]&0x1f) == h264.NALUTypeSPS {
			return true
		}
	}
	return false
}

func hasH265SPS(au [][]byte) bool {
	for _, n := range au {
		if len(n) > 0 && h265.NALUType((n[0]>>1)&0x3f) == h265.NALUType_SPS_NUT {
			return true
		}
	}
	return false
}
