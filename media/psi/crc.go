// Package psi holds what every reader and writer of MPEG-2 program
// specific information (PAT, PMT sections) shares: the sections' CRC-32.
package psi

// crcTable is the CRC-32 of ISO/IEC 13818-1 Annex A (polynomial
// 0x04C11DB7, MSB first, no reflection, initial value 0xFFFFFFFF, no final
// XOR), which hash/crc32 does not provide: its tables are bit-reflected.
var crcTable = func() (t [256]uint32) {
	for i := range t {
		c := uint32(i) << 24
		for range 8 {
			if c&0x80000000 != 0 {
				c = c<<1 ^ 0x04c11db7
			} else {
				c <<= 1
			}
		}
		t[i] = c
	}
	return t
}()

// CRC32 returns the CRC of b. Over a whole section including its CRC_32
// field the result is 0.
func CRC32(b []byte) uint32 {
	c := uint32(0xffffffff)
	for _, v := range b {
		c = c<<8 ^ crcTable[byte(c>>24)^v]
	}
	return c
}
