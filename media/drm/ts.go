package drm

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
)

// EncryptAES128 returns an MPEG-TS segment encrypted whole with AES-128-CBC
// and PKCS#7 padding (HLS METHOD=AES-128). iv is 16 bytes; SequenceIV gives
// the one a player assumes when EXT-X-KEY carries no IV.
func EncryptAES128(data []byte, key Key, iv []byte) ([]byte, error) {
	if len(iv) != aes.BlockSize {
		return nil, fmt.Errorf("drm: aes-128 iv of %d bytes", len(iv))
	}
	block, err := aes.NewCipher(key.Key[:])
	if err != nil {
		return nil, fmt.Errorf("drm: aes-128: %w", err)
	}
	pad := aes.BlockSize - len(data)%aes.BlockSize
	out := make([]byte, len(data)+pad)
	copy(out, data)
	for i := len(data); i < len(out); i++ {
		out[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, out)
	return out, nil
}

// SequenceIV is the IV of a segment whose EXT-X-KEY has no IV attribute: its
// media sequence number as a 128-bit big-endian integer.
func SequenceIV(msn uint64) []byte {
	iv := make([]byte, aes.BlockSize)
	binary.BigEndian.PutUint64(iv[8:], msn)
	return iv
}
