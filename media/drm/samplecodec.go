package drm

import (
	"bytes"
	"fmt"
)

const (
	videoClearLead = 32  // the NAL type byte and 31 more stay clear
	videoSkip      = 144 // nine clear blocks after each encrypted one
	audioClearLead = 16  // after the ADTS header
)

var startCode = []byte{0, 0, 1}

// video returns an H.264 Annex B elementary stream with its slice NAL units
// (types 1 and 5, over 48 bytes) transformed. NAL units end where the next
// start code (3 or 4 bytes) begins, as players split them.
func (c *sampleCipher) video(es []byte) []byte {
	out := make([]byte, 0, len(es)+64)
	i := bytes.Index(es, startCode)
	if i < 0 {
		return append(out, es...)
	}
	out = append(out, es[:i+3]...)
	for start := i + 3; start < len(es); {
		end := len(es)
		next := bytes.Index(es[start:], startCode)
		if next >= 0 {
			end = start + next
			if next > 0 && es[end-1] == 0 {
				end-- // the leading zero of a 4-byte start code
			}
		}
		out = c.appendNAL(out, es[start:end])
		if next < 0 {
			break
		}
		out = append(out, es[end:start+next+3]...)
		start += next + 3
	}
	return out
}

// appendNAL appends nal transformed. The spec encrypts the NAL unit as it
// is in the stream, emulation prevention bytes and all, and then applies
// emulation prevention to the result; a player removes that one layer,
// decrypts, and hands the decoder the NAL unit as the encoder wrote it (so
// the pattern's offsets count the clear NAL unit's emulation prevention
// bytes, and decrypting puts none back). A NAL unit of 48 bytes or fewer is
// left as it is, and so is not escaped again: the length a player tests is
// the one it reads, and escaping never shortens one.
func (c *sampleCipher) appendNAL(out, nal []byte) []byte {
	if len(nal) <= videoClearLead+16 || (nal[0]&0x1f != 1 && nal[0]&0x1f != 5) {
		return append(out, nal...)
	}
	if !c.encrypt {
		return append(out, c.pattern(unescapeRBSP(nal))...)
	}
	return appendEscaped(out, c.pattern(bytes.Clone(nal)))
}

// pattern transforms nal's protected block in place (Apple's listing: the
// type byte and 31 more clear, then one 16-byte block of each ten while
// more than 16 bytes remain) and returns nal.
func (c *sampleCipher) pattern(nal []byte) []byte {
	chain := c.chain()
	for b := nal[videoClearLead:]; len(b) > 16; {
		chain.CryptBlocks(b[:16], b[:16])
		b = b[16+min(videoSkip, len(b)-16):]
	}
	return nal
}

// unescapeRBSP returns nal with one layer of emulation prevention removed:
// a 3 after two zeros, when a byte follows it (ISO/IEC 14496-10 7.4.1).
func unescapeRBSP(nal []byte) []byte {
	raw := make([]byte, 0, len(nal))
	zeros := 0
	for i, b := range nal {
		if zeros >= 2 && b == 3 && i+1 < len(nal) {
			zeros = 0
			continue
		}
		raw = append(raw, b)
		if b == 0 {
			zeros++
		} else {
			zeros = 0
		}
	}
	return raw
}

// appendEscaped appends raw with emulation prevention applied: a 3 before
// any byte of 0-3 that follows two zeros, a last byte of 3 too (so that
// readers that keep a NAL unit's final 0x03, as unescapeRBSP does, and
// readers that drop it, as ISO/IEC 14496-10 7.3.1 does, read the same).
func appendEscaped(out, raw []byte) []byte {
	zeros := 0
	for _, b := range raw {
		if zeros >= 2 && b <= 3 {
			out = append(out, 3)
			zeros = 0
		}
		out = append(out, b)
		if b == 0 {
			zeros++
		} else {
			zeros = 0
		}
	}
	return out
}

// audio returns an elementary stream of whole ADTS frames with each
// frame's whole blocks past its header and 16 bytes transformed.
func (c *sampleCipher) audio(es []byte) ([]byte, error) {
	out := bytes.Clone(es)
	for rest := out; len(rest) > 0; {
		if len(rest) < 7 || rest[0] != 0xff || rest[1]&0xf0 != 0xf0 {
			return nil, fmt.Errorf("%w: no ADTS frame at byte %d", ErrBadTS, len(out)-len(rest))
		}
		head := 7
		if rest[1]&1 == 0 { // CRC present
			head = 9
		}
		n := int(rest[3]&3)<<11 | int(rest[4])<<3 | int(rest[5]>>5)
		if n < head || n > len(rest) {
			return nil, fmt.Errorf("%w: ADTS frame of %d bytes in %d", ErrBadTS, n, len(rest))
		}
		if body := rest[head:n]; len(body) >= audioClearLead+16 {
			blocks := body[audioClearLead : audioClearLead+(len(body)-audioClearLead)/16*16]
			c.chain().CryptBlocks(blocks, blocks)
		}
		rest = rest[n:]
	}
	return out, nil
}
