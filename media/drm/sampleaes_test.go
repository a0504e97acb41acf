package drm_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/asticode/go-astits"

	"streamhive/media/drm"
	"streamhive/media/drm/drmtest"
)

// TestSampleAESRoundTrip: every segment of the clip encrypts and decrypts
// back to its clear bytes exactly (elementary streams, tables, counters),
// and the encrypted one differs only inside slices and audio frames; also
// with emulation prevention bytes in the slices.
func TestSampleAESRoundTrip(t *testing.T) {
	key, _ := drmtest.New("sample-aes").KeyAt(time.Now())
	for _, seg := range append(clipSegments(t), epbSegments(t)...) {
		iv := drm.SequenceIV(seg.MSN)
		enc, err := drm.EncryptSampleAES(seg.MPEGTS(), key, iv)
		if err != nil {
			t.Fatal(err)
		}
		dec, err := drm.DecryptSampleAES(enc, key, iv)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(dec, seg.MPEGTS()) {
			t.Fatalf("segment %d: decrypted segment differs from the clear one", seg.MSN)
		}
		plain, encrypted := demuxES(t, seg.MPEGTS()), demuxES(t, enc)
		for pid, es := range plain {
			if bytes.Equal(es, encrypted[pid]) {
				t.Errorf("segment %d PID %d: clear in the encrypted segment", seg.MSN, pid)
			}
		}
		wrong, _ := drmtest.New("other").KeyAt(time.Now())
		if bad, err := drm.DecryptSampleAES(enc, wrong, iv); err == nil && bytes.Equal(bad, seg.MPEGTS()) {
			t.Error("decrypted with a wrong key")
		}
	}
}

// TestSampleAESSignalling: the PMT names the encrypted stream types with
// the private data indicators, and AAC's setup in an 'apad' registration.
func TestSampleAESSignalling(t *testing.T) {
	seg := clipSegments(t)[0]
	key, _ := drmtest.New("pmt").KeyAt(time.Now())
	enc, err := drm.EncryptSampleAES(seg.MPEGTS(), key, drm.SequenceIV(0))
	if err != nil {
		t.Fatal(err)
	}
	pmt := firstPMT(t, enc)
	if len(pmt.ElementaryStreams) != 2 {
		t.Fatalf("%d streams", len(pmt.ElementaryStreams))
	}
	v, a := pmt.ElementaryStreams[0], pmt.ElementaryStreams[1]
	if v.StreamType != 0xdb || len(v.ElementaryStreamDescriptors) != 1 || v.ElementaryStreamDescriptors[0].PrivateDataIndicator == nil ||
		v.ElementaryStreamDescriptors[0].PrivateDataIndicator.Indicator != 0x7a617663 { // 'zavc'
		t.Errorf("video entry: type %#x %+v", v.StreamType, v.ElementaryStreamDescriptors)
	}
	if a.StreamType != 0xcf || len(a.ElementaryStreamDescriptors) != 2 {
		t.Fatalf("audio entry: type %#x %+v", a.StreamType, a.ElementaryStreamDescriptors)
	}
	if pdi := a.ElementaryStreamDescriptors[0].PrivateDataIndicator; pdi == nil || pdi.Indicator != 0x61616364 { // 'aacd'
		t.Errorf("audio private data indicator: %+v", pdi)
	}
	reg := a.ElementaryStreamDescriptors[1].Registration
	asc := seg.Init.Tracks[1].AudioConfig
	want := append([]byte{'z', 'a', 'a', 'c', 0, 0, 1, byte(len(asc))}, asc...)
	if reg == nil || reg.FormatIdentifier != 0x61706164 || !bytes.Equal(reg.AdditionalIdentificationInfo, want) { // 'apad'
		t.Errorf("audio setup: %+v, want %x", reg, want)
	}
}

// TestSampleAESParts: a segment's parts, encrypted one by one with the
// program of its first, are the encrypted segment.
func TestSampleAESParts(t *testing.T) {
	seg := clipSegments(t)[1]
	key, _ := drmtest.New("parts").KeyAt(time.Now())
	iv := drm.SequenceIV(seg.MSN)
	whole, err := drm.EncryptSampleAES(seg.MPEGTS(), key, iv)
	if err != nil {
		t.Fatal(err)
	}
	if len(seg.Parts) < 2 {
		t.Skip("one part")
	}
	prog, err := drm.ReadTSProgram(seg.Parts[0].MPEGTS())
	if err != nil {
		t.Fatal(err)
	}
	var parts []byte
	noTables := 0
	for _, part := range seg.Parts {
		if _, err := drm.ReadTSProgram(part.MPEGTS()); errors.Is(err, drm.ErrNoTSProgram) {
			noTables++
		}
		enc, err := drm.EncryptSampleAESProgram(part.MPEGTS(), prog, key, iv)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, enc...)
	}
	if !bytes.Equal(parts, whole) {
		t.Error("the encrypted parts are not the encrypted segment")
	}
	if noTables == 0 {
		t.Error("every part has its tables: the program of the first part is not exercised")
	}
}

func TestSampleAESRefusesBadInput(t *testing.T) {
	ts := clipSegments(t)[0].MPEGTS()
	key, _ := drmtest.New("bad").KeyAt(time.Now())
	iv := drm.SequenceIV(0)
	hevc := bytes.Clone(ts)
	pmt := findPMTPacket(t, hevc)
	hevc[pmt+12+int(hevc[pmt+11])] = 0x24 // the first stream, as H.265 (the CRC is not checked)
	for name, in := range map[string][]byte{
		"truncated": ts[:len(ts)-5],
		"no sync":   append([]byte{0}, ts[1:]...),
		"no tables": ts[188*3:],
		"h265":      hevc,
	} {
		if _, err := drm.EncryptSampleAES(in, key, iv); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := drm.EncryptSampleAES(ts, key, iv[:8]); err == nil {
		t.Error("8-byte iv: no error")
	}
}

// demuxES returns each PID's PES payloads, concatenated.
func demuxES(t *testing.T, ts []byte) map[uint16][]byte {
	t.Helper()
	dmx := astits.NewDemuxer(context.Background(), bytes.NewReader(ts))
	out := map[uint16][]byte{}
	for {
		d, err := dmx.NextData()
		if errors.Is(err, astits.ErrNoMorePackets) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if d.PES != nil {
			out[d.PID] = append(out[d.PID], d.PES.Data...)
		}
	}
}

func firstPMT(t *testing.T, ts []byte) *astits.PMTData {
	t.Helper()
	dmx := astits.NewDemuxer(context.Background(), bytes.NewReader(ts))
	for {
		d, err := dmx.NextData()
		if err != nil {
			t.Fatal(err)
		}
		if d.PMT != nil {
			return d.PMT
		}
	}
}

// findPMTPacket returns the offset of the first PMT section's table_id.
func findPMTPacket(t *testing.T, ts []byte) int {
	t.Helper()
	for off := 0; off < len(ts); off += 188 {
		if ts[off+1]&0x40 != 0 && ts[off+3]&0x20 == 0 && ts[off+4] == 0 && ts[off+5] == 0x02 {
			return off + 5
		}
	}
	t.Fatal("no PMT")
	return 0
}
