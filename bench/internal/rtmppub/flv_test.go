package rtmppub

import (
	"encoding/binary"
	"errors"
	"testing"
	"time"
)

// flvFile builds an FLV file from tags, as ffmpeg writes one.
func flvFile(tags ...Tag) []byte {
	b := []byte{'F', 'L', 'V', 1, 5, 0, 0, 0, 9, 0, 0, 0, 0}
	for _, t := range tags {
		h := []byte{
			t.Type, byte(len(t.Data) >> 16), byte(len(t.Data) >> 8), byte(len(t.Data)),
			byte(t.TS >> 16), byte(t.TS >> 8), byte(t.TS), byte(t.TS >> 24), 0, 0, 0,
		}
		b = append(b, h...)
		b = append(b, t.Data...)
		b = binary.BigEndian.AppendUint32(b, uint32(11+len(t.Data)))
	}
	return b
}

var (
	avcHeader = []byte{0x17, 0, 0, 0, 0, 1, 0x64}
	avcKey    = []byte{0x17, 1, 0, 0, 0, 0xAA}
	avcInter  = []byte{0x27, 1, 0, 0, 0, 0xBB}
	aacHeader = []byte{0xAF, 0, 0x12, 0x10}
	aacFrame  = []byte{0xAF, 1, 0xCC}
	script    = []byte{2, 0, 10, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a'}
)

func TestParseFLV(t *testing.T) {
	in := []Tag{
		{TagScript, 0, script},
		{TagVideo, 0, avcHeader},
		{TagAudio, 0, aacHeader},
		{TagVideo, 0, avcKey},
		{TagAudio, 0, aacFrame},
		{TagAudio, 21, aacFrame},
		{TagVideo, 40, avcInter},
		{TagAudio, 42, aacFrame},
		{TagVideo, 80, avcInter},
		{TagAudio, 64, aacFrame},
		{TagVideo, 0x1000040, avcInter}, // extended timestamp byte
	}
	s, err := ParseFLV(flvFile(in...))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Tags) != len(in) {
		t.Fatalf("got %d tags, want %d", len(s.Tags), len(in))
	}
	for i, got := range s.Tags {
		if got.Type != in[i].Type || got.TS != in[i].TS || string(got.Data) != string(in[i].Data) {
			t.Errorf("tag %d = %+v, want %+v", i, got, in[i])
		}
	}
	headers := 0
	for _, tg := range s.Tags {
		if tg.Header() {
			headers++
		}
	}
	if headers != 3 {
		t.Errorf("%d headers, want 3 (script, AVC, AAC)", headers)
	}
}

func TestLoopLength(t *testing.T) {
	tags := []Tag{
		{TagVideo, 0, avcHeader},
		{TagAudio, 0, aacHeader},
		{TagVideo, 0, avcKey},
		{TagVideo, 40, avcInter},
		{TagVideo, 80, avcInter},
		{TagAudio, 0, aacFrame},
		{TagAudio, 21, aacFrame},
		{TagAudio, 42, aacFrame},
		{TagAudio, 64, aacFrame},
		{TagAudio, 85, aacFrame},
	}
	// Video ends at 80 + 40, audio at 85 + 21: the later one wins.
	if got, want := loopLength(tags), 120*time.Millisecond; got != want {
		t.Errorf("loopLength = %v, want %v", got, want)
	}
}

func TestParseFLVRejects(t *testing.T) {
	good := flvFile(Tag{TagVideo, 0, avcKey})
	for name, b := range map[string][]byte{
		"no signature": []byte("FLX\x01\x05\x00\x00\x00\x09"),
		"short":        good[:5],
		"truncated":    good[:len(good)-6],
		"no tags":      flvFile(),
	} {
		if _, err := ParseFLV(b); !errors.Is(err, ErrBadFLV) {
			t.Errorf("%s: err = %v, want ErrBadFLV", name, err)
		}
	}
}

func FuzzParseFLV(f *testing.F) {
	f.Add(flvFile(Tag{TagVideo, 0, avcKey}, Tag{TagAudio, 1, aacFrame}))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseFLV(b)
		if err == nil && (len(s.Tags) == 0 || s.Loop <= 0 && hasMedia(s.Tags)) {
			t.Fatalf("accepted %d tags with loop %v", len(s.Tags), s.Loop)
		}
	})
}

func hasMedia(tags []Tag) bool {
	for _, t := range tags {
		if (t.Type == TagVideo || t.Type == TagAudio) && !t.Header() {
			return true
		}
	}
	return false
}
