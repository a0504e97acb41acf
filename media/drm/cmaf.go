package drm

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/Eyevinn/mp4ff/mp4"
)

// ErrBadFragment is wrapped when a CMAF init or fragment cannot be parsed.
var ErrBadFragment = errors.New("drm: bad cmaf input")

// maxFragments bounds the moof+mdat pairs one Encrypt call accepts (a
// segment of parts at the shortest part duration stays far below it).
const maxFragments = 4096

// CMAFTrack encrypts one track's CMAF (one init, its fragments) with one key.
// It is immutable once made and safe for concurrent use.
type CMAFTrack struct {
	init   []byte
	key    Key
	track  int
	scheme Scheme
	ipd    *mp4.InitProtectData
}

// ProtectTrack returns the encrypting form of a single-track init segment:
// its sample entry becomes encv/enca with a sinf (tenc carrying the key's
// KID), and the moov carries a pssh for every signal that has one, plus the
// W3C common pssh a ClearKey player reads its key ids from. track tells the
// stream's tracks apart in the IVs (every per-track init has track id 1).
func ProtectTrack(init []byte, key Key, scheme Scheme, track int) (*CMAFTrack, error) {
	if scheme != CENC && scheme != CBCS {
		return nil, fmt.Errorf("drm: scheme %q is not a cmaf scheme", scheme)
	}
	if track < 0 || track > math.MaxUint16 {
		return nil, fmt.Errorf("drm: track %d does not fit an IV", track)
	}
	f, err := mp4.DecodeFile(bytes.NewReader(init))
	if err != nil {
		return nil, fmt.Errorf("%w: init: %w", ErrBadFragment, err)
	}
	if f.Init == nil {
		return nil, fmt.Errorf("%w: no init segment", ErrBadFragment)
	}
	pssh, err := psshBoxes(key)
	if err != nil {
		return nil, err
	}
	ipd, err := mp4.InitProtect(f.Init, key.Key[:], constantIV(key), string(scheme), mp4.UUID(key.KID[:]), pssh)
	if err != nil {
		return nil, fmt.Errorf("drm: protect init: %w", err)
	}
	var b bytes.Buffer
	if err := f.Init.Encode(&b); err != nil {
		return nil, fmt.Errorf("drm: encode init: %w", err)
	}
	return &CMAFTrack{init: b.Bytes(), key: key, track: track, scheme: scheme, ipd: ipd}, nil
}

// Init returns the protected init segment.
func (t *CMAFTrack) Init() []byte { return t.init }

// Key returns the key the track encrypts with.
func (t *CMAFTrack) Key() Key { return t.key }

// Encrypt returns the encrypted copy of data, a concatenation of moof+mdat
// pairs (a segment or a part). data is not modified. segment is the program
// date time of the segment data is or belongs to (a part passes its
// segment's): with the track and each fragment's decode time it makes the
// fragment's IVs, so a segment encrypts to the concatenation of its
// encrypted parts, and an archived segment to the bytes it had live.
func (t *CMAFTrack) Encrypt(data []byte, segment time.Time) ([]byte, error) {
	frags, err := splitFragments(data)
	if err != nil {
		return nil, err
	}
	out := bytes.NewBuffer(make([]byte, 0, len(data)+len(data)/16+256))
	for _, f := range frags {
		iv := t.fragmentIV(f, segment)
		if err := mp4.EncryptFragment(f, t.key.Key[:], iv, t.ipd); err != nil {
			return nil, fmt.Errorf("drm: encrypt fragment: %w", err)
		}
		if err := f.Encode(out); err != nil {
			return nil, fmt.Errorf("drm: encode fragment: %w", err)
		}
	}
	return out.Bytes(), nil
}

// fragmentIV is the first sample's IV: cbcs uses the constant IV of the
// tenc (CBC: a repeated IV shows only equal first blocks, and players take
// it from the tenc or EXT-X-KEY). cenc is CTR, where a counter block used
// twice under one key gives away both plaintexts' XOR; decode times come
// back when a stream restarts (and with no expires= its key never
// changes), so the IV leads with the segment's wall clock, which does not:
//
//	bytes 0-7   the segment's program date time, Unix ms
//	bytes 8-9   the track
//	bytes 10-13 the fragment's decode time, low 32 bits (distinct within a
//	            segment: fragments are shorter than 2^32 timescale units)
//	bytes 14-15 0: the samples' block counter counts up from here
//
// Fragments of a track in one segment start at least a sample's duration
// apart, i.e. at least 2^16 counter blocks (1 MiB) per timescale unit, so
// their counter ranges never meet.
func (t *CMAFTrack) fragmentIV(f *mp4.Fragment, segment time.Time) []byte {
	if t.scheme == CBCS {
		return constantIV(t.key)
	}
	iv := make([]byte, 16)
	var base uint64
	if tfdt := f.Moof.Traf.Tfdt; tfdt != nil {
		base = tfdt.BaseMediaDecodeTime()
	}
	binary.BigEndian.PutUint64(iv, uint64(segment.UnixMilli()))
	binary.BigEndian.PutUint16(iv[8:], uint16(t.track))
	binary.BigEndian.PutUint32(iv[10:], uint32(base))
	return iv
}

// constantIV is the key's explicit IV, else its KID: cbcs needs one IV per
// key that the player learns from the tenc (or EXT-X-KEY).
func constantIV(k Key) []byte {
	if len(k.IV) == 16 {
		return k.IV
	}
	return k.KID[:]
}

// splitFragments parses data as moof+mdat pairs, each a single-track
// fragment with one trun as media/segment writes them.
func splitFragments(data []byte) ([]*mp4.Fragment, error) {
	var frags []*mp4.Fragment
	r := bytes.NewReader(data)
	var pos uint64
	var moof *mp4.MoofBox
	for r.Len() > 0 {
		if len(frags) >= maxFragments {
			return nil, fmt.Errorf("%w: more than %d fragments", ErrBadFragment, maxFragments)
		}
		if err := checkBoxHeader(data[pos:]); err != nil {
			return nil, err
		}
		box, err := mp4.DecodeBox(pos, r)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadFragment, err)
		}
		pos += box.Size()
		switch b := box.(type) {
		case *mp4.MoofBox:
			if err := checkMoof(b); err != nil {
				return nil, err
			}
			moof = b
		case *mp4.MdatBox:
			if moof == nil {
				return nil, fmt.Errorf("%w: mdat without moof", ErrBadFragment)
			}
			if moof.Traf.Trun.SizeOfData() > b.DataLength() {
				return nil, fmt.Errorf("%w: samples overrun the mdat", ErrBadFragment)
			}
			f := mp4.NewFragment()
			f.AddChild(moof)
			f.AddChild(b)
			frags = append(frags, f)
			moof = nil
		default:
			return nil, fmt.Errorf("%w: unexpected %s box", ErrBadFragment, box.Type())
		}
	}
	if moof != nil {
		return nil, fmt.Errorf("%w: moof without mdat", ErrBadFragment)
	}
	return frags, nil
}

// checkMoof accepts what media/segment writes: one traf of tfhd, tfdt and
// one trun, with no encryption boxes already in it.
func checkMoof(m *mp4.MoofBox) error {
	if len(m.Trafs) != 1 || len(m.Traf.Truns) != 1 || m.Traf.Tfhd == nil || !m.Traf.Trun.HasSampleSize() {
		return fmt.Errorf("%w: moof needs one traf with one sized trun", ErrBadFragment)
	}
	for _, c := range m.Traf.Children {
		switch c.Type() {
		case "tfhd", "tfdt", "trun":
		default:
			return fmt.Errorf("%w: unexpected %s box in traf", ErrBadFragment, c.Type())
		}
	}
	return nil
}

// checkBoxHeader refuses a box whose declared size overruns data before
// mp4ff allocates for it.
func checkBoxHeader(data []byte) error {
	if len(data) < 8 {
		return fmt.Errorf("%w: truncated box header", ErrBadFragment)
	}
	size := uint64(binary.BigEndian.Uint32(data))
	if size == 1 {
		if len(data) < 16 {
			return fmt.Errorf("%w: truncated box header", ErrBadFragment)
		}
		size = binary.BigEndian.Uint64(data[8:])
	}
	if size < 8 || size > uint64(len(data)) {
		return fmt.Errorf("%w: box size %d of %d bytes left", ErrBadFragment, size, len(data))
	}
	return nil
}

// psshBoxes decodes the signals' pssh boxes and adds the W3C common one.
func psshBoxes(k Key) ([]*mp4.PsshBox, error) {
	var out []*mp4.PsshBox
	for _, s := range k.Signals {
		if len(s.PSSH) == 0 {
			continue
		}
		if err := checkBoxHeader(s.PSSH); err != nil {
			return nil, err
		}
		box, err := mp4.DecodeBox(0, bytes.NewReader(s.PSSH))
		if err != nil {
			return nil, fmt.Errorf("drm: pssh of %s: %w", s.SystemID, err)
		}
		p, ok := box.(*mp4.PsshBox)
		if !ok {
			return nil, fmt.Errorf("drm: pssh of %s is a %s box", s.SystemID, box.Type())
		}
		out = append(out, p)
	}
	common, err := mp4.NewPsshBox(mp4.UUID_W3C_COMMON, []string{mp4.UUID(k.KID[:]).String()}, nil)
	if err != nil {
		return nil, fmt.Errorf("drm: common pssh: %w", err)
	}
	return append(out, common), nil
}
