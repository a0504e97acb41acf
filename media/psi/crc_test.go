package psi

import "testing"

// TestCRC32: the PAT of a single-program stream (program 1, PMT on PID
// 0x1000) as ffmpeg writes it carries CRC 0x2AB104B2, and a section with
// its CRC appended checks to 0.
func TestCRC32(t *testing.T) {
	pat := []byte{0x00, 0xb0, 0x0d, 0x00, 0x01, 0xc1, 0x00, 0x00, 0x00, 0x01, 0xf0, 0x00}
	if c := CRC32(pat); c != 0x2ab104b2 {
		t.Fatalf("CRC32 = %#08x, want 0x2ab104b2", c)
	}
	if c := CRC32(append(pat, 0x2a, 0xb1, 0x04, 0xb2)); c != 0 {
		t.Fatalf("a section with its CRC checks to %#08x, want 0", c)
	}
}
