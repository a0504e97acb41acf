package drm_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"testing"
	"time"

	"streamhive/media/drm"
	"streamhive/media/drm/drmtest"
)

func TestAES128RoundTrip(t *testing.T) {
	seg := clipSegments(t)[0].MPEGTS()
	key, _ := drmtest.New("ts").KeyAt(time.Now())
	iv := drm.SequenceIV(7)
	enc, err := drm.EncryptAES128(seg, key, iv)
	if err != nil {
		t.Fatal(err)
	}
	if len(enc)%16 != 0 || len(enc) <= len(seg) || bytes.Contains(enc, seg[:188]) {
		t.Fatalf("encrypted: %d bytes of %d, or clear packets in it", len(enc), len(seg))
	}
	block, _ := aes.NewCipher(key.Key[:])
	dec := make([]byte, len(enc))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(dec, enc)
	pad := int(dec[len(dec)-1])
	if !bytes.Equal(dec[:len(dec)-pad], seg) {
		t.Error("decrypted segment differs")
	}
	if _, err := drm.EncryptAES128(seg, key, iv[:8]); err == nil {
		t.Error("8-byte iv: no error")
	}
}

func TestStaticSourceRotates(t *testing.T) {
	s := &drmtest.Static{Seed: "rot", Period: time.Minute}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a, _ := s.KeyAt(t0.Add(10 * time.Second))
	b, _ := s.KeyAt(t0.Add(50 * time.Second))
	c, _ := s.KeyAt(t0.Add(70 * time.Second))
	if a.KID != b.KID || a.KID == c.KID || a.Key == c.Key || !c.From.Equal(t0.Add(time.Minute)) {
		t.Errorf("rotation: %x %x %x from %v", a.KID, b.KID, c.KID, c.From)
	}
	s.SetDown(true)
	if _, err := s.KeyAt(t0); err == nil {
		t.Error("down source answered")
	}
}
