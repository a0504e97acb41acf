package drm_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"slices"
	"testing"
	"time"

	"streamhive/media"
	"streamhive/media/drm"
	"streamhive/media/drm/drmtest"
	"streamhive/media/segment"
)

// specDecrypt decrypts a SAMPLE-AES segment's elementary streams as Apple's
// "MPEG-2 Stream Encryption Format for HTTP Live Streaming" tells a player
// to, written from its text and apart from this package's cipher: each
// PID's PES payloads, concatenated, decrypted. Video: split at start codes;
// a NAL unit of type 1 or 5 longer than 48 bytes has one layer of start code
// emulation prevention removed, then its bytes after the first 32 are the
// protected block: while bytes remain, a 16-byte block is decrypted when
// more than 16 remain, then up to 144 are skipped; the IV restarts at each
// NAL unit, the chain runs across its encrypted blocks; what results goes to
// the decoder as it is. Audio: each ADTS frame's whole 16-byte blocks after
// its header and 16 more bytes are one CBC chain from the IV.
func specDecrypt(t *testing.T, ts []byte, key drm.Key, iv []byte) map[uint16][]byte {
	t.Helper()
	block, err := aes.NewCipher(key.Key[:])
	if err != nil {
		t.Fatal(err)
	}
	types := map[uint16]uint8{}
	for _, s := range firstPMT(t, ts).ElementaryStreams {
		types[s.ElementaryPID] = uint8(s.StreamType)
	}
	out := map[uint16][]byte{}
	for pid, es := range demuxES(t, ts) {
		switch types[pid] {
		case 0xdb: // H.264 with SAMPLE-AES
			out[pid] = specVideo(es, block, iv)
		case 0xcf: // ADTS AAC with SAMPLE-AES
			out[pid] = specAudio(t, es, block, iv)
		default:
			t.Fatalf("PID %d: stream type %#x in an encrypted segment", pid, types[pid])
		}
	}
	return out
}

func specVideo(es []byte, block cipher.Block, iv []byte) []byte {
	units := bytes.Split(es, []byte{0, 0, 1})
	out := bytes.Clone(units[0])
	for _, nal := range units[1:] {
		body := bytes.TrimRight(nal, "\x00") // a 4-byte start code's first zero
		out = append(out, 0, 0, 1)
		out = append(out, specNAL(body, block, iv)...)
		out = append(out, nal[len(body):]...)
	}
	return out
}

// specNAL is one NAL unit decrypted as the spec has it.
func specNAL(nal []byte, block cipher.Block, iv []byte) []byte {
	if len(nal) <= 48 || nal[0]&0x1f != 1 && nal[0]&0x1f != 5 {
		return nal
	}
	body := specUnescape(nal)
	dec := cipher.NewCBCDecrypter(block, iv)
	for rest := body[32:]; len(rest) > 0; {
		if len(rest) > 16 {
			dec.CryptBlocks(rest[:16], rest[:16])
			rest = rest[16:]
		}
		rest = rest[min(144, len(rest)):]
	}
	return body
}

// specUnescape removes emulation prevention as ISO/IEC 14496-10 7.3.1
// reads a NAL unit: each 0x000003 gives its two zeros, not its 0x03.
func specUnescape(nal []byte) []byte {
	var out []byte
	for i := 0; i < len(nal); i++ {
		if i+2 < len(nal) && nal[i] == 0 && nal[i+1] == 0 && nal[i+2] == 3 {
			out = append(out, 0, 0)
			i += 2
			continue
		}
		out = append(out, nal[i])
	}
	return out
}

func specAudio(t *testing.T, es []byte, block cipher.Block, iv []byte) []byte {
	out := bytes.Clone(es)
	for rest := out; len(rest) > 0; {
		head := 7
		if rest[1]&1 == 0 {
			head = 9
		}
		n := int(rest[3]&3)<<11 | int(rest[4])<<3 | int(rest[5]>>5)
		if n > len(rest) || rest[0] != 0xff {
			t.Fatalf("no ADTS frame: %x", rest[:min(8, len(rest))])
		}
		if enc := (n - head - 16) / 16 * 16; enc > 0 {
			b := rest[head+16 : head+16+enc]
			cipher.NewCBCDecrypter(block, iv).CryptBlocks(b, b)
		}
		rest = rest[n:]
	}
	return out
}

// epbSegments segments the test clip with emulation prevention bytes
// planted in its slices (the clip's encoder wrote none): in the clear
// leader, at the first encrypted block, in a clear run and at its end, each
// escaping a different byte.
func epbSegments(t *testing.T) []*segment.Segment {
	t.Helper()
	return segmentClip(t, func(f *media.Frame) *media.Frame {
		if f.Track != 0 {
			return f
		}
		g := *f
		g.Data = slices.Clone(f.Data)
		for i, nal := range g.Data {
			g.Data[i] = plantEPBs(nal)
		}
		return &g
	})
}

var planted = []struct {
	at  int
	seq []byte
}{{20, []byte{0, 0, 3, 1}}, {30, []byte{0, 0, 3, 0}}, {47, []byte{0, 0, 3, 3}}, {100, []byte{0, 0, 3, 2}}, {190, []byte{0, 0, 3, 1}}}

func plantEPBs(nal []byte) []byte {
	if nal[0]&0x1f != 1 && nal[0]&0x1f != 5 || len(nal) < 260 {
		return nal
	}
	out := bytes.Clone(nal)
	for _, p := range planted {
		copy(out[p.at:], p.seq)
		if out[p.at+4] <= 3 {
			out[p.at+4] = 0x80 // no new sequence after the planted one
		}
	}
	return out
}

// TestSampleAESDecryptsPerSpec: a decryptor written from the spec's text
// gets back the clear elementary streams exactly, also of slices holding
// emulation prevention bytes; with another key or IV it does not.
func TestSampleAESDecryptsPerSpec(t *testing.T) {
	key, _ := drmtest.New("spec").KeyAt(time.Now())
	wrong, _ := drmtest.New("other").KeyAt(time.Now())
	for name, segs := range map[string][]*segment.Segment{"clip": clipSegments(t), "planted": epbSegments(t)} {
		epbs := 0
		for _, seg := range segs {
			iv := drm.SequenceIV(seg.MSN)
			enc, err := drm.EncryptSampleAES(seg.MPEGTS(), key, iv)
			if err != nil {
				t.Fatal(err)
			}
			plain := demuxES(t, seg.MPEGTS())
			epbs += bytes.Count(plain[256], []byte{0, 0, 3})
			got := specDecrypt(t, enc, key, iv)
			for pid, es := range plain {
				if !bytes.Equal(got[pid], es) {
					t.Errorf("%s segment %d PID %d: decrypted per the spec, not the clear stream", name, seg.MSN, pid)
				}
			}
			for what, bad := range map[string]map[uint16][]byte{
				"key": specDecrypt(t, enc, wrong, iv),
				"iv":  specDecrypt(t, enc, key, drm.SequenceIV(seg.MSN+1)),
			} {
				if bytes.Equal(bad[256], plain[256]) || bytes.Equal(bad[257], plain[257]) {
					t.Errorf("%s segment %d: decrypted with a wrong %s", name, seg.MSN, what)
				}
			}
		}
		if name == "planted" && epbs == 0 {
			t.Error("no emulation prevention bytes planted")
		}
	}
}
