package drm_test

import (
	"testing"
	"time"

	"streamhive/media/drm"
	"streamhive/media/drm/drmtest"
)

// FuzzEncrypt feeds arbitrary bytes as fragments: an error, never a panic.
func FuzzEncrypt(f *testing.F) {
	segs := clipSegments(f)
	key, _ := drmtest.New("fuzz").KeyAt(time.Now())
	p, err := drm.ProtectTrack(segs[0].Init.CMAF[1], key, drm.CENC, 1)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(segs[0].Parts[0].CMAF[1])
	f.Add([]byte{0, 0, 0, 8, 'm', 'd', 'a', 't'})
	f.Fuzz(func(_ *testing.T, data []byte) {
		_, _ = p.Encrypt(data, time.Now())
	})
}

// FuzzSampleAES feeds arbitrary bytes as MPEG-TS segments: an error, never
// a panic; what encrypts decrypts back to the same length.
func FuzzSampleAES(f *testing.F) {
	seg := clipSegments(f)[0].MPEGTS()
	key, _ := drmtest.New("fuzz").KeyAt(time.Now())
	iv := drm.SequenceIV(1)
	f.Add(seg[:188*8])
	f.Add(seg[188*2 : 188*6])
	f.Fuzz(func(t *testing.T, data []byte) {
		enc, err := drm.EncryptSampleAES(data, key, iv)
		if err != nil {
			return
		}
		if _, err := drm.DecryptSampleAES(enc, key, iv); err != nil {
			t.Fatalf("encrypted segment does not decrypt: %v", err)
		}
	})
}
