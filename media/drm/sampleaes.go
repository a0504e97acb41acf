package drm

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"slices"
)

// SAMPLE-AES for MPEG-TS, as Apple's "MPEG-2 Stream Encryption Format for
// HTTP Live Streaming" describes it: each protected block (an H.264 slice
// NAL unit past its first 32 bytes, an ADTS frame past its header and 16
// bytes) is AES-128-CBC encrypted with the IV reset at its start; video in
// a 1-in-10 block pattern, audio in every whole block; the rest of the
// segment stays clear and the PMT signals the encrypted streams.

// EncryptSampleAES returns the MPEG-TS segment ts with its H.264 and AAC
// streams SAMPLE-AES encrypted with key and iv (16 bytes: SampleAESIV's,
// which the playlist signals). ts starts with
// its PAT and PMT; a part without them goes through
// EncryptSampleAESProgram with its segment's program. ts is not modified.
func EncryptSampleAES(ts []byte, key Key, iv []byte) ([]byte, error) {
	p, err := ReadTSProgram(ts)
	if err != nil {
		return nil, err
	}
	return EncryptSampleAESProgram(ts, p, key, iv)
}

// SampleAESIV is the IV of every segment and part SAMPLE-AES encrypts with
// k, which EXT-X-KEY carries (HLSKeyTags): the key server's IV when it gave
// one, else the key's KID. One IV per key, not one per segment: SAMPLE-AES
// restarts the chain at each NAL unit and audio frame, so a segment's own
// IV adds nothing to what thousands of restarts per segment already share,
// while players that hold a segment's last frames until the next segment
// arrives (FFmpeg's HLS demuxer decrypts them with the IV of the segment it
// reads then) decrypt them right only if that IV is the same.
func SampleAESIV(k Key) []byte {
	if len(k.IV) == aes.BlockSize {
		return slices.Clone(k.IV)
	}
	return slices.Clone(k.KID[:])
}

// EncryptSampleAESProgram is EncryptSampleAES for a segment or part whose
// program p was read (ReadTSProgram) from the clear segment's tables.
func EncryptSampleAESProgram(ts []byte, p TSProgram, key Key, iv []byte) ([]byte, error) {
	c, err := newSampleCipher(key, iv, true)
	if err != nil {
		return nil, err
	}
	return transformTS(ts, p, c, protectedEntry)
}

// DecryptSampleAES inverts EncryptSampleAES: the clear segment, tables
// and all, from an encrypted one (tests, and players of our own).
func DecryptSampleAES(ts []byte, key Key, iv []byte) ([]byte, error) {
	p, err := ReadTSProgram(ts)
	if err != nil {
		return nil, err
	}
	c, err := newSampleCipher(key, iv, false)
	if err != nil {
		return nil, err
	}
	return transformTS(ts, p, c, clearEntry)
}

// sampleCipher encrypts or decrypts protected blocks in place.
type sampleCipher struct {
	block   cipher.Block
	iv      []byte
	encrypt bool
}

func newSampleCipher(key Key, iv []byte, encrypt bool) (*sampleCipher, error) {
	if len(iv) != aes.BlockSize {
		return nil, fmt.Errorf("drm: sample-aes iv of %d bytes", len(iv))
	}
	block, err := aes.NewCipher(key.Key[:])
	if err != nil {
		return nil, fmt.Errorf("drm: sample-aes: %w", err)
	}
	return &sampleCipher{block: block, iv: slices.Clone(iv), encrypt: encrypt}, nil
}

// chain starts a protected block's CBC chain at the IV: its state runs on
// across the encrypted 16-byte blocks the pattern picks.
func (c *sampleCipher) chain() cipher.BlockMode {
	if c.encrypt {
		return cipher.NewCBCEncrypter(c.block, c.iv)
	}
	return cipher.NewCBCDecrypter(c.block, c.iv)
}

// transformTS rewrites the PMT with entry and each H.264 and AAC PES
// with c.
func transformTS(ts []byte, p TSProgram, c *sampleCipher, entry func(pmtEntry, TSProgram) ([]byte, error)) ([]byte, error) {
	if err := checkTSSize(ts); err != nil {
		return nil, err
	}
	kinds, err := p.kinds()
	if err != nil {
		return nil, err
	}
	w := &tsRewriter{ts: ts, repl: map[int][][]byte{}, renum: map[uint16]bool{}}
	open := map[uint16][]int{} // PID -> the packets of its PES in progress
	for i := range len(ts) / tsPacketSize {
		h, err := tsPacketAt(w.packet(i))
		if err != nil {
			return nil, fmt.Errorf("%w (packet %d)", err, i)
		}
		kind := kinds[h.pid]
		switch {
		case h.pid == p.PMT && h.start:
			pmt, err := rewritePMT(w.packet(i), h, p, entry)
			if err != nil {
				return nil, err
			}
			w.repl[i] = [][]byte{pmt}
		case kind == 0 || h.payload >= tsPacketSize && !h.start:
		case h.start:
			if err := w.flush(open[h.pid], kind, c); err != nil {
				return nil, err
			}
			open[h.pid] = []int{i}
		case open[h.pid] == nil:
			return nil, fmt.Errorf("%w: PID %d continues a PES that did not start", ErrBadTS, h.pid)
		default:
			open[h.pid] = append(open[h.pid], i)
		}
	}
	for _, s := range p.Streams {
		if err := w.flush(open[s.PID], kinds[s.PID], c); err != nil {
			return nil, err
		}
	}
	return w.bytes(), nil
}

// flush transforms the PES at slots (none: nothing to do).
func (w *tsRewriter) flush(slots []int, kind byte, c *sampleCipher) error {
	if len(slots) == 0 {
		return nil
	}
	pes, err := w.pesOf(slots)
	if err != nil {
		return err
	}
	off, declared, err := pesES(pes)
	if err != nil {
		return err
	}
	var es []byte
	if kind == 'v' {
		es = c.video(pes[off:])
	} else if es, err = c.audio(pes[off:]); err != nil {
		return err
	}
	out := append(slices.Clone(pes[:off]), es...)
	if declared != 0 {
		switch n := len(out) - 6; {
		case n <= 0xffff:
			binary.BigEndian.PutUint16(out[4:6], uint16(n))
		case kind == 'v':
			binary.BigEndian.PutUint16(out[4:6], 0) // unbounded: video only
		default:
			return fmt.Errorf("%w: audio PES of %d bytes", ErrBadTS, n)
		}
	}
	w.replacePES(slots, out)
	return nil
}
