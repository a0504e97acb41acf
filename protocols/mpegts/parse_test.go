package mpegts

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"streamhive/media/psi"
	"streamhive/protocols/mpegts/mpegtstest"
)

func TestParsePES(t *testing.T) {
	// PTS 0x1_0000_0001 and DTS 3, as §2.4.3.7 lays them out.
	pts := []byte{0x39, 0x00, 0x01, 0x00, 0x03}
	dts := []byte{0x11, 0x00, 0x01, 0x00, 0x07}
	for _, tc := range []struct {
		name    string
		in      []byte
		want    pes
		wantErr bool
	}{
		{
			"video, PTS and DTS, open length", append([]byte{0, 0, 1, 0xe0, 0, 0, 0x80, 0xc0, 10}, append(append(pts, dts...), 9, 9)...),
			pes{pts: 1<<32 | 1, dts: 3, hasPTS: true, payload: []byte{9, 9}},
			false,
		},
		{
			"audio, PTS, bounded length", append([]byte{0, 0, 1, 0xc0, 0, 9, 0x80, 0x80, 5}, append(pts, 1, 2, 3)...),
			pes{pts: 1<<32 | 1, dts: 1<<32 | 1, hasPTS: true, payload: []byte{1}},
			false,
		},
		{"no timestamps", []byte{0, 0, 1, 0xe0, 0, 0, 0x80, 0, 0, 7}, pes{payload: []byte{7}}, false},
		{"no start code", []byte{0, 0, 2, 0xe0, 0, 0, 0x80, 0, 0}, pes{}, true},
		{"padding stream", []byte{0, 0, 1, 0xbe, 0, 3, 0xff, 0xff, 0xff}, pes{}, true},
		{"length past the unit", []byte{0, 0, 1, 0xe0, 1, 0, 0x80, 0, 0}, pes{}, true},
		{"header past the unit", []byte{0, 0, 1, 0xe0, 0, 0, 0x80, 0x80, 40, 1}, pes{}, true},
		{"flags 01", append([]byte{0, 0, 1, 0xe0, 0, 0, 0x80, 0x40, 5}, pts...), pes{}, true},
		{"short", []byte{0, 0, 1, 0xe0}, pes{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parsePES(tc.in)
			if (err != nil) != tc.wantErr || (err == nil && !reflect.DeepEqual(got, tc.want)) {
				t.Errorf("got %+v, %v; want %+v (error %v)", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func adtsHeader(frameLen int, crc bool) []byte {
	h := []byte{0xff, 0xf1, 0x50, 0x80, 0, 0x1f, 0xfc} // AAC-LC, 44.1 kHz, stereo
	if crc {
		h[1] = 0xf0
	}
	h[3] |= byte(frameLen >> 11 & 3)
	h[4] = byte(frameLen >> 3)
	h[5] = byte(frameLen&7)<<5 | 0x1f
	return h
}

func TestParseADTS(t *testing.T) {
	two := append(append(adtsHeader(9, false), 1, 2), append(adtsHeader(10, true), 0, 0, 3)...)
	got, err := parseADTS(two)
	if err != nil || len(got) != 2 || string(got[0].au) != "\x01\x02" || string(got[1].au) != "\x03" ||
		got[0].sampleRate != 44100 || got[0].channels != 2 || got[0].objectType != 2 {
		t.Fatalf("two frames: %+v, %v", got, err)
	}
	asc, err := got[0].audioSpecificConfig()
	if err != nil || string(asc) != "\x12\x10" {
		t.Errorf("AudioSpecificConfig %x, %v; want 1210", asc, err)
	}
	for name, in := range map[string][]byte{
		"empty":            nil,
		"no sync":          {0xff, 0x01, 0x50, 0x80, 0, 0x3f, 0xfc, 0},
		"length too long":  append(adtsHeader(40, false), 1),
		"length too short": adtsHeader(5, false),
		"trailing garbage": append(adtsHeader(8, false), 1, 0xff),
		"channel config 0": {0xff, 0xf1, 0x50, 0x00, 0x01, 0x1f, 0xfc, 1},
		"bad sample rate":  {0xff, 0xf1, 0x7c, 0x80, 0x01, 0x1f, 0xfc, 1},
	} {
		if _, err := parseADTS(in); !errors.Is(err, errADTS) {
			t.Errorf("%s: got %v, want errADTS", name, err)
		}
	}
}

func TestParseOpus(t *testing.T) {
	pkt300 := make([]byte, 300)
	in := append([]byte{0x7f, 0xe0, 2, 0xf8, 0xff}, 0x7f, 0xf8, 0xff, 45, 0, 10, 0, 20)
	in = append(in, pkt300...)
	got, err := parseOpus(in)
	if err != nil || len(got) != 2 || string(got[0]) != "\xf8\xff" || len(got[1]) != 300 {
		t.Fatalf("got %d packets, %v", len(got), err)
	}
	for name, in := range map[string][]byte{
		"no prefix":  {0x7f, 0x00, 1, 0},
		"too long":   {0x7f, 0xe0, 5, 1},
		"zero size":  {0x7f, 0xe0, 0},
		"bad ext":    {0x7f, 0xe4, 1},
		"empty":      nil,
		"trim short": {0x7f, 0xf0, 1},
	} {
		if _, err := parseOpus(in); !errors.Is(err, errOpus) {
			t.Errorf("%s: got %v, want errOpus", name, err)
		}
	}
}

func TestClock(t *testing.T) {
	var c clock
	steps := []struct {
		in   uint64
		want int64
	}{
		{uint64(tsWrap) - 3600, tsWrap - 3600},
		{uint64(tsWrap) - 7200, tsWrap - 7200}, // a B-frame-like step back
		{100, tsWrap + 100},                    // across the wrap
		{3700, tsWrap + 3700},
		{3700 + 20*tsHz, tsWrap + 3701}, // a 20 s jump: continue just after
		{3700 + 20*tsHz + 3600, tsWrap + 7301},
	}
	for i, s := range steps {
		if got := c.extend(s.in); got != s.want {
			t.Errorf("step %d: extend(%d) = %d, want %d", i, s.in, got, s.want)
		}
	}
	if got := ticks(tsHz*100000 + 45000); got != 100000*time.Second+500*time.Millisecond {
		t.Errorf("ticks: %v", got)
	}
}

func TestParseOptions(t *testing.T) {
	for _, tc := range []struct {
		in      map[string]string
		want    Config
		wantErr bool
	}{
		{nil, Config{}, false},
		{map[string]string{"program": "2001", "passphrase": "x"}, Config{Programs: []int{2001}}, false},
		{map[string]string{"programs": "[1, 2]", "pids": "211,212"}, Config{Programs: []int{1, 2}, PIDs: []int{211, 212}}, false},
		{map[string]string{"pid": "x"}, Config{}, true},
		{map[string]string{"program": ""}, Config{}, true},
		{map[string]string{"program": "70000"}, Config{}, true},
	} {
		got, err := ParseOptions(tc.in)
		if (err != nil) != tc.wantErr || (err == nil && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("ParseOptions(%v) = %+v, %v; want %+v (error %v)", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestCRC(t *testing.T) {
	// The PAT ffmpeg writes for one program with PMT PID 0x1000.
	pat := []byte{0x00, 0xb0, 0x0d, 0x00, 0x01, 0xc1, 0x00, 0x00, 0x00, 0x01, 0xf0, 0x00, 0x2a, 0xb1, 0x04, 0xb2}
	if c := psi.CRC32(pat); c != 0 {
		t.Errorf("CRC over a section with its CRC_32: %#x, want 0", c)
	}
	s, err := parseSection(pat)
	if err != nil {
		t.Fatal(err)
	}
	progs, err := parsePAT(s)
	if err != nil || len(progs) != 1 || progs[0] != (program{1, 0x1000}) {
		t.Errorf("PAT programs %+v, %v", progs, err)
	}
}

// FuzzDemux feeds arbitrary bytes to the demuxer: it must never panic,
// hang or read past what it counts.
func FuzzDemux(f *testing.F) {
	clip := mpegtstest.H264AAC(f, "1")
	f.Add(clip[:40*packetSize])
	f.Add(clip[len(clip)/2:][:60*packetSize])
	f.Add([]byte{0x47, 0x40, 0, 0x10, 0})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		r := demuxAll(t, data, Config{ProbePackets: 2000})
		if r.err == nil {
			t.Fatal("demux ended without an error")
		}
		if p, b := r.stats.TS.Packets.Load(), r.stats.Bytes.Load(); p*packetSize > b || b != uint64(len(data)) {
			t.Fatalf("%d packets, %d bytes counted of %d", p, b, len(data))
		}
		for _, fr := range r.frames {
			if fr.Track < 0 || fr.Track >= len(r.tracks) || fr.DTS < 0 || len(fr.Data) == 0 {
				t.Fatalf("bad frame %+v of %d tracks", fr, len(r.tracks))
			}
		}
	})
}
